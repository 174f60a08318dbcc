import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { closedPortUrl } from "../support/net.js";
import { configureLore } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
beforeEach(async () => {
  gl = await startFakeGitLab({ token: "glpat-doctor", version: "18.4.0-ee" });
  gl.addProject({ path: "group/proj" });
  home = makeTempHome();
  await configureLore(home, gl);
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

const doctor = (token?: string) =>
  runLore(["--robot", "doctor"], { env: { ...home.env, ...(token ? { GITLAB_TOKEN: token } : {}) } });

it("passes against a reachable GitLab with a good token", async () => {
  const result = await doctor("glpat-doctor");
  expect(result.code, result.stdout).toBe(0);
  const checks = result.json().data.checks as { name: string; ok: boolean; detail: string }[];
  expect(checks.every((c) => c.ok)).toBe(true);
  expect(checks.map((c) => c.name)).toEqual(
    expect.arrayContaining(["config", "token", "database", "gitlab", "user", "project"]),
  );
  expect(checks.find((c) => c.name === "gitlab")?.detail).toContain("18.4.0-ee");
  expect(checks.find((c) => c.name === "user")?.detail).toContain("@root");
  expect(result.stdout).not.toContain("glpat-doctor");
  const human = await runLore(["doctor"], { env: { ...home.env, GITLAB_TOKEN: "glpat-doctor" } });
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(/✓ project +group\/proj: id 1/);
});

it("fails with GITLAB_AUTH for a wrong token", async () => {
  const result = await doctor("wrong-token");
  expect(result.code).toBe(4);
  expect(result.json().error.code).toBe("GITLAB_AUTH");
  expect(result.json().error.details.checks.find((c: { name: string }) => c.name === "gitlab").ok).toBe(
    false,
  );
  expect(result.stdout).not.toContain("wrong-token");
});

it("fails with GITLAB_NETWORK for a closed port", async () => {
  const closed = { ...gl, url: await closedPortUrl() } as FakeGitLab;
  await configureLore(home, closed);
  const result = await doctor("glpat-doctor");
  expect(result.code).toBe(5);
  expect(result.json().error.code).toBe("GITLAB_NETWORK");
});

it("fails with GITLAB_NOT_FOUND for a missing project", async () => {
  await configureLore(home, gl, ["group/proj", "group/missing"]);
  const result = await doctor("glpat-doctor");
  expect(result.code).toBe(6);
  expect(result.json().error.code).toBe("GITLAB_NOT_FOUND");
  expect(result.json().error.message).toContain("group/missing");
});

it("records the token's user as gitlab.username, keeping the rest of the file as written", async () => {
  // As a person might have written it: a key lore does not know, defaults left out, readable by all.
  const written = JSON.parse(readFileSync(home.configPath, "utf8"));
  const document = {
    gitlab: { baseUrl: written.gitlab.baseUrl, note: "staging instance" },
    projects: written.projects,
    embedding: { provider: "none" },
  };
  writeFileSync(home.configPath, JSON.stringify(document));
  chmodSync(home.configPath, 0o644);

  const result = await doctor("glpat-doctor");
  expect(result.code, result.stdout).toBe(0);
  expect(result.json().data.checks).toContainEqual(
    expect.objectContaining({ name: "me", detail: "recorded gitlab.username = root for lore me" }),
  );
  expect(JSON.parse(readFileSync(home.configPath, "utf8"))).toEqual({
    ...document,
    gitlab: { ...document.gitlab, username: "root" },
  });
  expect(statSync(home.configPath).mode & 0o777).toBe(0o600);
  expect((await runLore(["config", "get", "gitlab.username"], { env: home.env })).stdout.trim()).toBe("root");
});
