#!/usr/bin/env -S node --max-semi-space-size=8
// The flag keeps V8's young generation small: a sync allocates response objects at a high rate and
// the default semi-space let them pile up into ~100 MB more resident memory. It only changes how
// often minor collections run (the old generation stays unbounded, so no workload can run out).
// lore's entry point: turn on Node's compile cache (later starts reuse the compiled code) before
// the rest of lore loads, then run the command line.

import { enableCompileCache } from "node:module";

enableCompileCache?.();
await import("./cli.js");
