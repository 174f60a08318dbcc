// lore's version, from its package.json: two levels above this file both in src/cli/ and in the
// bundle (dist/cli/main.js, dist/chunks/*.js).

import { createRequire } from "node:module";

export const LORE_VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string })
  .version;
