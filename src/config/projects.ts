// Resolves `-p PATH` against the configured projects: a full path, or a suffix naming exactly one.

import { usageError } from "../core/errors.js";

export function resolveProjectPath(configuredPaths: readonly string[], value: string): string {
  const wanted = value
    .trim()
    .replace(/^\/+|\/+$/g, "")
    .toLowerCase();
  if (wanted === "") throw usageError("-p needs a project path, e.g. -p group/project");
  const exact = configuredPaths.find((p) => p.toLowerCase() === wanted);
  if (exact) return exact;
  const matches = configuredPaths.filter((p) => p.toLowerCase().endsWith(`/${wanted}`));
  if (matches.length === 1) return matches[0] as string;
  const known = configuredPaths.join(", ");
  if (matches.length > 1) {
    throw usageError(
      `-p ${value} matches several configured projects: ${matches.join(", ")}`,
      "Give the full path.",
    );
  }
  throw usageError(
    `-p ${value} is not a configured project (configured: ${known})`,
    "Add it with `lore init --force --project …`, or pick one of the configured paths.",
  );
}
