// A project's GitLab answer requested ahead of its turn: `lore sync` sends its first project's
// request before it opens the database, so the round trip overlaps the opening, the migration
// check and the queued work that runs before the walks.

import type { GitLabClient } from "../gitlab/client.js";
import type { GitLabProject } from "../gitlab/schemas.js";

export interface ProjectPrefetch {
  /** The answer for `path`, once (a later call, or another path, is undefined: fetch it then). */
  take(path: string): Promise<GitLabProject> | undefined;
  /** Abandons the request if the run ends without taking it. */
  cancel(): void;
}

export function prefetchProject(client: GitLabClient, path: string, signal: AbortSignal): ProjectPrefetch {
  const abandoned = new AbortController();
  let answer: Promise<GitLabProject> | undefined = client.project(path, {
    signal: AbortSignal.any([signal, abandoned.signal]),
  });
  // Its failure is reported by whoever takes it; an abandoned one by no one.
  answer.catch(() => undefined);
  return {
    take(wanted) {
      if (wanted !== path) return undefined;
      const taken = answer;
      answer = undefined;
      return taken;
    },
    cancel: () => abandoned.abort(),
  };
}
