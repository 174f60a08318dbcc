// Runs `fn` and returns the message of the USAGE error it must throw (any other outcome fails).

import { isLoreError } from "../../src/core/errors.js";

export function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isLoreError(error, "USAGE")) return error.message;
    throw error;
  }
  throw new Error("expected a USAGE error");
}
