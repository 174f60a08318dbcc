// Maps a failed GitLab exchange to the LoreError the user sees: the code decides the exit status,
// the message names the endpoint, and nothing it carries ever holds the token.

import { LoreError } from "../core/errors.js";
import { RETRYABLE_STATUSES } from "../http/retry-timing.js";

export interface FailureContext {
  readonly endpoint: string;
  /** The request URL, sanitised and scrubbed of the token. */
  readonly url: string;
  readonly attempts: number;
  /** What the request was about, for 404 messages: "project group/x", "issue #42 in project 7". */
  readonly describe?: string | undefined;
  readonly scrub: (text: string) => string;
  /** Whether the request carried a token, and the variable it comes from (for auth messages). */
  readonly tokenSent: boolean;
  readonly tokenEnvVar: string;
  /** GitLab's web root (the API URL without /api/v4), for the token page's address. */
  readonly webUrl: string;
}

/** GitLab's error text from a JSON body (`message`, `error`, `error_description`), else the raw text. */
export function describeBody(body: unknown, text: string): string {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === "string") return value;
    if (value !== null && value !== undefined) return JSON.stringify(value);
    return undefined;
  };
  if (body !== null && typeof body === "object") {
    const record = body as Record<string, unknown>;
    const parts = [pick(record.message), pick(record.error), pick(record.error_description)].filter(
      (part): part is string => part !== undefined,
    );
    if (parts.length > 0) return parts.join(": ").slice(0, 300);
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

/** A connection failure, timeout or reset after the last attempt. */
export function networkError(
  failure: unknown,
  timedOutAfterMs: number | undefined,
  c: FailureContext,
): LoreError {
  const code = errorCodeOf(failure);
  const reason =
    timedOutAfterMs !== undefined
      ? `timed out after ${timedOutAfterMs} ms`
      : c.scrub(errorMessageOf(failure));
  return new LoreError("GITLAB_NETWORK", `Cannot reach GitLab (${c.endpoint}): ${reason}`, {
    suggestion: `Check the network and gitlab.baseUrl (lore tried ${c.attempts} time(s)).`,
    details: {
      endpoint: c.endpoint,
      url: c.url,
      attempts: c.attempts,
      ...(code ? { error_code: code } : {}),
    },
  });
}

export function invalidJsonError(status: number, text: string, c: FailureContext): LoreError {
  return new LoreError(
    "GITLAB_NETWORK",
    `GitLab answered ${c.endpoint} with a body that is not valid JSON (HTTP ${status}, ${text.length} bytes)`,
    {
      suggestion: "A proxy may be rewriting responses; check gitlab.baseUrl.",
      details: { endpoint: c.endpoint, url: c.url, status, body_start: c.scrub(text.slice(0, 120)) },
    },
  );
}

/** An HTTP error status that is not retried (any more). */
export function statusError(
  status: number,
  body: unknown,
  text: string,
  retryAfterMs: number | undefined,
  c: FailureContext,
): LoreError {
  const gitlabMessage = c.scrub(describeBody(body, text));
  const details = {
    endpoint: c.endpoint,
    url: c.url,
    status,
    gitlab_message: gitlabMessage,
    attempts: c.attempts,
  };
  if (status === 429) {
    return new LoreError("GITLAB_RATE_LIMITED", `GitLab rate limit hit on ${c.endpoint} (HTTP 429)`, {
      suggestion:
        "Wait a few minutes, or lower gitlab.concurrency (gitlab.surgicalConcurrency for surgical syncs).",
      details: { ...details, ...(retryAfterMs !== undefined ? { retry_after_ms: retryAfterMs } : {}) },
    });
  }
  if (RETRYABLE_STATUSES.has(status)) {
    return new LoreError(
      "GITLAB_NETWORK",
      `GitLab failed on ${c.endpoint} (HTTP ${status}): ${gitlabMessage}`,
      {
        suggestion: "GitLab or a proxy in front of it is having trouble; try again later.",
        details,
      },
    );
  }
  if (status === 401 || status === 403) return authError(status, gitlabMessage, details, c);
  if (status === 404) {
    return new LoreError(
      "GITLAB_NOT_FOUND",
      `GitLab has no ${c.describe ?? c.endpoint} (or the token cannot see it)`,
      {
        suggestion: "Check the name and that the token's user can see it.",
        details,
      },
    );
  }
  return new LoreError("GITLAB_NETWORK", `GitLab rejected ${c.endpoint} (HTTP ${status}): ${gitlabMessage}`, {
    details,
  });
}

/**
 * 401/403. Without a token the fix is to provide one, so the message says the variable is unset
 * instead of blaming a token that was never sent; with one, it says which variable's token GitLab
 * refused. Either way the scope lore needs (read_api) is named.
 */
function authError(
  status: number,
  gitlabMessage: string,
  details: Record<string, unknown>,
  c: FailureContext,
): LoreError {
  const what = c.describe ?? c.endpoint;
  const variable = `$${c.tokenEnvVar}`;
  const tokenPage = `${c.webUrl}/-/user_settings/personal_access_tokens?name=lore&scopes=read_api`;
  const answer = `HTTP ${status}${gitlabMessage ? `: ${gitlabMessage}` : ""}`;
  if (!c.tokenSent) {
    return new LoreError(
      "GITLAB_AUTH",
      `GitLab needs a token for ${what} (${answer}), and ${variable} is not set, so lore sent none`,
      {
        suggestion: `Create a personal access token with the read_api scope at ${tokenPage} and put it in ${variable}.`,
        actions: [`export ${c.tokenEnvVar}=…`],
        details: { ...details, token_env: c.tokenEnvVar, token_sent: false },
      },
    );
  }
  return new LoreError(
    "GITLAB_AUTH",
    status === 401
      ? `GitLab refused the token in ${variable} for ${what} (${answer})`
      : `GitLab denied ${what} to the token in ${variable} (${answer})`,
    {
      suggestion:
        status === 401
          ? `The token may be expired or revoked; it needs the read_api scope (create one at ${tokenPage}).`
          : "The token needs the read_api scope, and its user access to the project (member, or the project public).",
      actions: ["lore doctor"],
      details: { ...details, token_env: c.tokenEnvVar, token_sent: true },
    },
  );
}

function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}

function errorMessageOf(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages.join(": ");
}
