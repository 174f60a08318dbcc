// Asking GitLab whether a project exists before it is added to the config. A project GitLab does
// not have (or the token cannot see) is refused; a GitLab that cannot be reached only makes the
// check impossible, and the caller adds the project unchecked.

import { isLoreError, LoreError } from "../core/errors.js";
import type { GitLabClient } from "../gitlab/client.js";

export type Verification =
  | {
      readonly status: "found";
      /** The path as GitLab spells it now (it follows renames and transfers). */
      readonly path: string;
      readonly id: number;
      readonly visibility: string | null;
    }
  | { readonly status: "unchecked"; readonly reason: string };

export async function verifyProject(
  client: GitLabClient,
  path: string,
  anonymous: boolean,
  tokenEnvVar: string,
  signal: AbortSignal,
): Promise<Verification> {
  try {
    const project = await client.project(path, { signal });
    return {
      status: "found",
      path: project.path_with_namespace,
      id: project.id,
      visibility: project.visibility ?? null,
    };
  } catch (error) {
    if (isLoreError(error, "GITLAB_NOT_FOUND")) {
      throw new LoreError(
        "GITLAB_NOT_FOUND",
        `GitLab has no project ${path}${anonymous ? " visible without a token" : " that the token can see"}.`,
        {
          suggestion: anonymous
            ? `Check the path; a private project needs a token with the read_api scope in $${tokenEnvVar}.`
            : "Check the path (group/subgroup/project) and that the token's user is a member.",
          ...(anonymous ? { actions: [`export ${tokenEnvVar}=glpat-…`] } : {}),
          details: { project: path },
        },
      );
    }
    if (isLoreError(error, "GITLAB_NETWORK") || isLoreError(error, "GITLAB_RATE_LIMITED")) {
      return { status: "unchecked", reason: error.message };
    }
    throw error;
  }
}
