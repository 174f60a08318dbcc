// Resolves `-p PATH` against the configured projects: a full path, or a suffix naming exactly one.

import { usageError } from "../core/errors.js";

/**
 * `label` names the value in messages: `-p cli` by default, or just the path where it is an
 * argument (`lore project remove cli`).
 */
export function resolveProjectPath(
  configuredPaths: readonly string[],
  value: string,
  label = `-p ${value}`,
): string {
  const given = value.trim().replace(/^\/+|\/+$/g, "");
  const wanted = given.toLowerCase();
  if (wanted === "") throw usageError(`${label.trim()} needs a project path, e.g. group/project`);
  const exact = configuredPaths.find((p) => p.toLowerCase() === wanted);
  if (exact) return exact;
  const matches = configuredPaths.filter((p) => p.toLowerCase().endsWith(`/${wanted}`));
  if (matches.length === 1) return matches[0] as string;
  const known = configuredPaths.join(", ");
  if (matches.length > 1) {
    throw usageError(
      `${label} matches several configured projects: ${matches.join(", ")}`,
      "Give the full path.",
    );
  }
  const add = given.includes("/") ? `lore project add ${given}` : "lore project add GROUP/PROJECT";
  throw usageError(
    `${label} is not a configured project (configured: ${known})`,
    `Add it with \`${add}\`, or pick one of the configured paths.`,
  );
}
