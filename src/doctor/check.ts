// One line of `lore doctor`: a named check, whether it passed, what it found, and on failure the
// error code that decides doctor's exit code. A passing check may carry warnings.

import type { ErrorCode } from "../core/errors.js";

export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** Set on failure: the contract's error code for this problem. */
  readonly code?: ErrorCode;
  readonly suggestion?: string;
  /** Complete commands that fix the failure. */
  readonly actions?: readonly string[];
  /** Things that work but are probably not what the user meant (e.g. an unknown config key). */
  readonly warnings?: readonly string[];
}

export const pass = (name: string, detail: string, warnings: readonly string[] = []): Check => ({
  name,
  ok: true,
  detail,
  ...(warnings.length > 0 ? { warnings } : {}),
});

export const failed = (
  name: string,
  code: ErrorCode,
  detail: string,
  suggestion?: string,
  actions: readonly string[] = [],
): Check => ({
  name,
  ok: false,
  detail,
  code,
  ...(suggestion ? { suggestion } : {}),
  ...(actions.length > 0 ? { actions } : {}),
});
