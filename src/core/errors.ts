// The one error type lore raises on purpose, and the contract's code → exit-code table.

export const EXIT_CODES = {
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  GITLAB_AUTH: 4,
  GITLAB_NETWORK: 5,
  GITLAB_NOT_FOUND: 6,
  SURGICAL_PREFLIGHT_FAILED: 6,
  NOT_IN_MIRROR: 6,
  GITLAB_RATE_LIMITED: 7,
  DATABASE: 8,
  SYNC_LOCKED: 9,
  EMBEDDING: 10,
  CANCELLED: 130,
} as const;

export type ErrorCode = keyof typeof EXIT_CODES;

export interface LoreErrorOptions {
  readonly suggestion?: string;
  /** Complete commands that fix the situation, most likely first (robot `actions`, human `hint:` lines). */
  readonly actions?: readonly string[];
  readonly details?: Record<string, unknown>;
  readonly cause?: unknown;
}

export class LoreError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly suggestion: string | undefined;
  readonly actions: readonly string[];
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: LoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LoreError";
    this.code = code;
    this.exitCode = EXIT_CODES[code];
    this.suggestion = options.suggestion;
    this.actions = options.actions ?? [];
    this.details = options.details;
  }
}

/** The same error with recovery actions added (kept first: the caller knows the most likely fix). */
export function withActions(error: LoreError, actions: readonly string[]): LoreError {
  if (actions.length === 0) return error;
  return new LoreError(error.code, error.message, {
    ...(error.suggestion === undefined ? {} : { suggestion: error.suggestion }),
    actions: [...actions, ...error.actions.filter((action) => !actions.includes(action))],
    ...(error.details === undefined ? {} : { details: error.details }),
    cause: error.cause ?? error,
  });
}

export function usageError(message: string, suggestion?: string): LoreError {
  return new LoreError("USAGE", message, suggestion === undefined ? {} : { suggestion });
}

export function cancelledError(details?: Record<string, unknown>): LoreError {
  return new LoreError("CANCELLED", "Stopped by signal; work done so far is committed and consistent.", {
    ...(details === undefined ? {} : { details }),
  });
}

export function isLoreError(error: unknown, code?: ErrorCode): error is LoreError {
  return error instanceof LoreError && (code === undefined || error.code === code);
}

/** True when an error (or its cause) comes from an aborted signal or a lore CANCELLED error. */
export function isCancellation(error: unknown): boolean {
  if (isLoreError(error, "CANCELLED")) return true;
  if (error instanceof Error && error.name === "AbortError") return true;
  return false;
}

/** Throws CANCELLED when the signal has been aborted; stages call this at their safe points. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    throw isLoreError(reason) ? reason : cancelledError();
  }
}
