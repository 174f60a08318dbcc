// Doctor's checks that need no network: config and token (the database has its own module).

import { loadConfigWithWarnings } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { LoreError } from "../core/errors.js";
import type { Env } from "../core/paths.js";
import { type Check, failed, pass } from "./check.js";

export function checkConfig(configPath: string): { check: Check; config?: Config } {
  try {
    const { config, warnings } = loadConfigWithWarnings(configPath);
    return {
      check: pass("config", `${configPath} (${config.projects.length} project(s))`, warnings),
      config,
    };
  } catch (error) {
    const e = error instanceof LoreError ? error : new LoreError("CONFIG", String(error));
    return { check: failed("config", "CONFIG", e.message, e.suggestion) };
  }
}

export function checkToken(config: Config, env: Env): Check {
  const name = config.gitlab.tokenEnvVar;
  const token = env[name];
  if (!token) return pass("token", `$${name} is not set: anonymous access (public projects only)`);
  return pass("token", `$${name} is set (${token.length} characters)`);
}
