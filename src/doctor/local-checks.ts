// Doctor's checks that need no network: config, token presence, database.

import { existsSync } from "node:fs";
import { loadConfigWithWarnings } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { LoreError } from "../core/errors.js";
import { type Env, resolveDbPath } from "../core/paths.js";
import { schemaVersion } from "../db/migrate.js";
import { openDatabaseForReading } from "../db/open.js";
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

export function checkDatabase(config: Config | undefined, env: Env): Check {
  const path = resolveDbPath(env, config?.storage.dbPath);
  if (!existsSync(path)) return pass("database", `${path} not created yet (lore sync creates it)`);
  try {
    const db = openDatabaseForReading(path);
    try {
      return pass("database", `${path} (schema v${schemaVersion(db)})`);
    } finally {
      db.close();
    }
  } catch (error) {
    const e = error instanceof LoreError ? error : new LoreError("DATABASE", String(error));
    return failed("database", "DATABASE", e.message, e.suggestion);
  }
}
