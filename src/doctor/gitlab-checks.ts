// Doctor's GitLab checks: reachability and version, who the token is, and access to each project.

import type { Config } from "../config/schema.js";
import { isLoreError, LoreError } from "../core/errors.js";
import type { Env } from "../core/paths.js";
import { createGitLabClient } from "../gitlab/client.js";
import { type Check, failed, pass } from "./check.js";

function asCheck(name: string, error: unknown): Check {
  const e = error instanceof LoreError ? error : new LoreError("GITLAB_NETWORK", String(error));
  return failed(name, e.code, e.message, e.suggestion);
}

export async function gitlabChecks(
  config: Config,
  env: Env,
  version: string,
  signal: AbortSignal,
  /** Told who the token belongs to; its check (if any) follows the user check. */
  onTokenUser?: (username: string) => Check | undefined,
): Promise<Check[]> {
  const token = env[config.gitlab.tokenEnvVar] || undefined;
  // Doctor answers quickly: one retry at most, and a shorter timeout than sync uses.
  const client = createGitLabClient({
    baseUrl: config.gitlab.baseUrl,
    token,
    tokenEnvVar: config.gitlab.tokenEnvVar,
    timeoutMs: Math.min(config.gitlab.timeoutMs, 10_000),
    maxRetries: 1,
    concurrency: config.gitlab.concurrency,
    version,
  });
  const checks: Check[] = [];

  try {
    const v = await client.version({ signal });
    checks.push(pass("gitlab", `${client.apiBaseUrl} reachable, GitLab ${v.version}`));
  } catch (error) {
    // Anonymous callers may not read /version; reaching the server is what matters then.
    if (!token && isLoreError(error, "GITLAB_AUTH")) {
      checks.push(pass("gitlab", `${client.apiBaseUrl} reachable (the version needs a token)`));
    } else {
      checks.push(asCheck("gitlab", error));
      return checks;
    }
  }

  if (token) {
    try {
      const user = await client.currentUser({ signal });
      checks.push(pass("user", `authenticated as @${user.username ?? user.id}`));
      const noted = user.username ? onTokenUser?.(user.username) : undefined;
      if (noted) checks.push(noted);
    } catch (error) {
      checks.push(asCheck("user", error));
      return checks;
    }
  } else {
    checks.push(pass("user", `anonymous ($${config.gitlab.tokenEnvVar} not set): public projects only`));
  }

  const results = await Promise.all(
    config.projects.map(async ({ path }) => {
      try {
        const project = await client.project(path, { signal });
        return pass(`project`, `${path}: id ${project.id}, ${project.visibility ?? "visibility unknown"}`);
      } catch (error) {
        const check = asCheck("project", error);
        return { ...check, detail: `${path}: ${check.detail}` };
      }
    }),
  );
  checks.push(...results);
  return checks;
}
