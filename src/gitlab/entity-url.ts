// Parses an issue or merge request web URL pasted in place of an IID (gitlab-api.md §10).

export interface EntityUrl {
  readonly projectPath: string;
  readonly type: "issue" | "merge_request";
  readonly iid: number;
}

const ITEM = /^(.+?)\/(?:-\/)?(issues(?:\/incident)?|work_items|merge_requests)\/(\d+)(?:[/?#].*)?$/;

/**
 * `url` is a pasted web URL; `baseUrl` the configured GitLab URL (possibly with a relative root or
 * `/api/v4`). Returns undefined when the text is not an issue or MR URL of that instance.
 */
export function parseEntityUrl(url: string, baseUrl: string): EntityUrl | undefined {
  let target: URL;
  let base: URL;
  try {
    target = new URL(url);
    base = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (target.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
  const root = base.pathname.replace(/\/api\/v4\/?$/, "").replace(/\/+$/, "");
  let path = decodeURIComponent(target.pathname);
  if (root && !path.startsWith(`${root}/`)) return undefined;
  path = path.slice(root.length).replace(/^\/+/, "");
  const match = ITEM.exec(path + target.search + target.hash);
  if (!match) return undefined;
  const [, projectPath, kind, iid] = match;
  if (!projectPath || projectPath.startsWith("groups/")) return undefined;
  return {
    projectPath,
    type: kind === "merge_requests" ? "merge_request" : "issue",
    iid: Number.parseInt(iid ?? "", 10),
  };
}

/**
 * The project path of an issue or MR web URL, in either form GitLab has served: with `/-/`
 * (`https://h/group/proj/-/issues/1`) or without it (older GitLab: `https://h/group/proj/issues/1`).
 */
export function projectFromWebUrl(url: string | null): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, "");
  } catch {
    return null;
  }
  const projectPath = ITEM.exec(path)?.[1];
  return projectPath && !projectPath.startsWith("groups/") ? projectPath : null;
}
