import { describe, expect, it } from "vitest";
import { configuredProjectForRemote, remoteProjectPath } from "../../src/config/git-remote.js";

describe("remoteProjectPath", () => {
  it.each([
    ["https://gitlab.com/group/proj.git", "https://gitlab.com", "group/proj"],
    ["https://gitlab.com/group/sub/proj", "https://gitlab.com/", "group/sub/proj"],
    ["https://oauth2:tok@gitlab.com/group/proj.git/", "https://gitlab.com", "group/proj"],
    ["git@gitlab.com:group/sub/proj.git", "https://gitlab.com", "group/sub/proj"],
    ["gitlab.com:group/proj", "https://gitlab.com", "group/proj"],
    ["ssh://git@gitlab.example.com:2222/group/proj.git", "https://gitlab.example.com", "group/proj"],
    ["https://h.example.com/gitlab/group/proj.git", "https://h.example.com/gitlab", "group/proj"],
    ["https://h.example.com/gitlab/group/proj.git", "https://h.example.com/gitlab/api/v4", "group/proj"],
    ["git@h.example.com:group/proj.git", "https://h.example.com/gitlab", "group/proj"],
    ["https://GitLab.com/Group/Proj.git", "https://gitlab.com", "Group/Proj"],
  ])("%s on %s → %s", (remote, base, path) => {
    expect(remoteProjectPath(remote, base)).toBe(path);
  });

  it.each([
    ["https://github.com/group/proj.git", "https://gitlab.com"],
    ["git@github.com:group/proj.git", "https://gitlab.com"],
    ["/srv/git/proj.git", "https://gitlab.com"],
    ["file:///srv/git/group/proj.git", "https://gitlab.com"],
    ["https://gitlab.com/proj.git", "https://gitlab.com"],
    ["not a url", "https://gitlab.com"],
  ])("%s on %s names no project", (remote, base) => {
    expect(remoteProjectPath(remote, base)).toBeUndefined();
  });
});

describe("configuredProjectForRemote", () => {
  const configured = ["group/proj", "team/api"];
  it("matches a configured project case-insensitively, keeping its configured spelling", () => {
    expect(configuredProjectForRemote("git@gitlab.com:Team/API.git", "https://gitlab.com", configured)).toBe(
      "team/api",
    );
  });
  it("ignores clones of projects that are not configured", () => {
    expect(
      configuredProjectForRemote("git@gitlab.com:other/repo.git", "https://gitlab.com", configured),
    ).toBeUndefined();
  });
});
