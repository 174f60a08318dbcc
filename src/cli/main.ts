#!/usr/bin/env -S node --max-semi-space-size=8
// The flag keeps V8's young generation small: a sync allocates response objects at a high rate and
// the default semi-space let them pile up into ~100 MB more resident memory. It only changes how
// often minor collections run (the old generation stays unbounded, so no workload can run out).
// lore's entry point. First it checks that this Node.js can run lore: on an older one the native
// SQLite addon dies without a word, so nothing else may load before the check. Everything here
// must parse and run on old Node versions, hence no top-level await and no named import of
// `enableCompileCache` (Node 20's node:module lacks it, and a missing named export is a link
// error before any line runs). Then it turns on Node's compile cache (later starts reuse the
// compiled code) and runs the command line — except for a bare `lore --version`, answered here
// without loading the command line at all (scripts call it to check an install).

import * as nodeModule from "node:module";
import { fileURLToPath } from "node:url";
import { describeNodeVersionProblem, nodeVersionProblem } from "./node-version.js";
import { handleClosedPipes } from "./pipes.js";
import { prescan } from "./prescan.js";
import { LORE_VERSION } from "./version.js";

// The fetch script is looked for only on a Node that is too old (node:fs costs ~5 ms as an ES import).
const problem =
  nodeVersionProblem(process.versions.node, undefined) &&
  nodeVersionProblem(process.versions.node, getNodeScript());
if (problem) {
  const robot = prescan(process.argv.slice(2), process.env, []).robot;
  (robot ? process.stdout : process.stderr).write(describeNodeVersionProblem(problem, robot));
  process.exitCode = 3;
} else if (isBareVersion(process.argv.slice(2), process.env)) {
  // What commander prints for it; robot mode (its envelope) goes through the command line.
  handleClosedPipes();
  process.stdout.write(`${LORE_VERSION}\n`);
} else {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  void import("./cli.js");
}

/** scripts/get-node.sh beside this installation, when it is there. */
function getNodeScript(): string | undefined {
  const path = fileURLToPath(new URL("../../scripts/get-node.sh", import.meta.url));
  const fs = nodeModule.createRequire(import.meta.url)("node:fs") as typeof import("node:fs");
  return fs.existsSync(path) ? path : undefined;
}

function isBareVersion(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.length === 1 && argv[0] === "--version" && !prescan(argv, env, []).robot;
}
