// Reading the config file's text, apart from validating it: the config cache compares the text
// before anything imports the schema (and zod).

import { readFileSync } from "node:fs";
import { LoreError } from "../core/errors.js";

/** Writes a config; the URL and project are the user's own (gitlab.com shown as the common case). */
export const INIT_ACTION = "lore init --gitlab-url https://gitlab.com --project GROUP/PROJECT";

/** The config file's text; CONFIG error when it is missing or unreadable. */
export function readConfigText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new LoreError("CONFIG", `No config file at ${path}.`, {
        suggestion: "Run `lore init --gitlab-url URL --project group/project` first.",
        actions: [INIT_ACTION],
      });
    }
    throw new LoreError("CONFIG", `Cannot read the config file ${path}: ${(error as Error).message}`);
  }
}
