// The machine's Node.js older than 22 (Debian's /usr/bin/node is 20 on lore's machines and in CI),
// for tests of what lore says to a user whose Node is too old.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The path of a `node` older than 22 on this machine; throws, saying what is missing, when there is none. */
export function oldNode(): string {
  const candidates = [
    "/usr/bin/node",
    ...(process.env.PATH ?? "").split(delimiter).map((d) => join(d, "node")),
  ];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).trim();
    if (Number.parseInt(version, 10) < 22) return candidate;
  }
  throw new Error(
    "These tests need a Node.js older than 22 on the machine (e.g. Debian's nodejs at /usr/bin/node).",
  );
}
