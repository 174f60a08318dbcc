// Which configured project the current directory's git checkout is a clone of, read from its
// `origin` remote (as glab does), so `lore issues` inside a clone lists that project's issues.

import { execFileSync } from "node:child_process";

/**
 * The project path a git remote URL names on this GitLab, or undefined when it points elsewhere.
 * Accepts https (`https://h/gitlab/group/proj.git`, with the instance's relative root), ssh
 * (`ssh://git@h:2222/group/proj.git`) and scp-like (`git@h:group/proj.git`) forms.
 */
export function remoteProjectPath(remoteUrl: string, gitlabBaseUrl: string): string | undefined {
  let base: URL;
  try {
    base = new URL(gitlabBaseUrl);
  } catch {
    return undefined;
  }
  const root = base.pathname
    .replace(/\/api\/v4\/?$/, "")
    .replace(/\/+$/, "")
    .toLowerCase();
  const remote = remoteUrl.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(remote);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)) {
    host = scp[1] as string;
    path = scp[2] as string;
  } else {
    let url: URL;
    try {
      url = new URL(remote);
    } catch {
      return undefined;
    }
    if (!["http:", "https:", "ssh:", "git:", "git+ssh:", "ssh+git:"].includes(url.protocol)) return undefined;
    host = url.hostname;
    path = decodeURIComponent(url.pathname);
  }
  if (host.toLowerCase() !== base.hostname.toLowerCase()) return undefined;
  path = `/${path.replace(/^\/+/, "")}`.replace(/\/+$/, "").replace(/\.git$/i, "");
  // https remotes carry the relative root; ssh remotes usually do not.
  if (root && path.toLowerCase().startsWith(`${root}/`)) path = path.slice(root.length);
  const projectPath = path.replace(/^\/+/, "");
  return projectPath.includes("/") ? projectPath : undefined;
}

/** The configured project this remote URL names (compared case-insensitively), if any. */
export function configuredProjectForRemote(
  remoteUrl: string,
  gitlabBaseUrl: string,
  configuredPaths: readonly string[],
): string | undefined {
  const path = remoteProjectPath(remoteUrl, gitlabBaseUrl)?.toLowerCase();
  return path === undefined ? undefined : configuredPaths.find((p) => p.toLowerCase() === path);
}

/** `git config --get remote.origin.url` in `cwd`; undefined outside a clone or without git. */
export function readOriginUrl(cwd: string = process.cwd()): string | undefined {
  try {
    const url = execFileSync("git", ["config", "--get", "remote.origin.url"], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 2_000,
    }).trim();
    return url === "" ? undefined : url;
  } catch {
    return undefined;
  }
}
