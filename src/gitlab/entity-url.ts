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
