// Builds the GitLab client from config and environment: the token comes only from the named env var.

import type { GitlabConfig } from "../config/schema.js";
import type { Env } from "../core/paths.js";
import { createGitLabClient, type GitLabClient } from "./client.js";
import type { HttpOptions } from "./http.js";

export function gitLabClientFromConfig(
  config: GitlabConfig,
  env: Env,
  version: string,
  hooks: Pick<HttpOptions, "onRetry"> = {},
): GitLabClient {
  const token = env[config.tokenEnvVar];
  return createGitLabClient({
    baseUrl: config.baseUrl,
    token: token && token.length > 0 ? token : undefined,
    tokenEnvVar: config.tokenEnvVar,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    concurrency: config.concurrency,
    version,
    onRetry: hooks.onRetry,
  });
}
