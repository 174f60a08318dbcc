// The error of a GitLab answer lore cannot read, apart from the schemas (zod) that detect it, so
// code that only recognises it does not load them.

import { LoreError } from "../core/errors.js";

export function shapeError(endpoint: string, problems: readonly string[]): LoreError {
  return new LoreError(
    "GITLAB_NETWORK",
    `GitLab answered ${endpoint} with an unexpected shape: ${problems.join("; ")}`,
    {
      suggestion: "This GitLab version may not be supported; please report it with `lore doctor` output.",
      details: { endpoint, problems, unexpected_shape: true },
    },
  );
}

/** True for the error an answer of an unexpected shape raises. */
export function isShapeError(error: unknown): error is LoreError {
  return error instanceof LoreError && error.details?.unexpected_shape === true;
}
