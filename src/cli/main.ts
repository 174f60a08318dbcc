#!/usr/bin/env -S node --max-semi-space-size=8
// The flag keeps V8's young generation small: a sync allocates response objects at a high rate and
// the default semi-space let them pile up into ~100 MB more resident memory. It only changes how
// often minor collections run (the old generation stays unbounded, so no workload can run out).
// lore's entry point. First it checks that this Node.js can run lore: on an older one the native
// SQLite addon dies without a word, so nothing else may load before the check. Everything here
// must parse and run on old Node versions, hence no top-level await and no named import of
// `enableCompileCache` (Node 20's node:module lacks it, and a missing named export is a link
// error before any line runs). Then it turns on Node's compile cache (later starts reuse the
// compiled code) and runs the command line.

import { existsSync } from "node:fs";
import * as nodeModule from "node:module";
import { fileURLToPath } from "node:url";
import { describeNodeVersionProblem, nodeVersionProblem } from "./node-version.js";
import { prescan } from "./prescan.js";

const getNodeScript = fileURLToPath(new URL("../../scripts/get-node.sh", import.meta.url));
const problem = nodeVersionProblem(
  process.versions.node,
  existsSync(getNodeScript) ? getNodeScript : undefined,
);
if (problem) {
  const robot = prescan(process.argv.slice(2), process.env, []).robot;
  (robot ? process.stdout : process.stderr).write(describeNodeVersionProblem(problem, robot));
  process.exitCode = 3;
} else {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  void import("./cli.js");
}
