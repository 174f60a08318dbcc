// Where lore keeps its config and database, per the contract (XDG base dirs, env overrides).

import { homedir } from "node:os";
import { join, resolve } from "node:path";

export type Env = Readonly<Record<string, string | undefined>>;

function home(env: Env): string {
  return env.HOME && env.HOME.length > 0 ? env.HOME : homedir();
}

export function defaultConfigPath(env: Env): string {
  if (env.LORE_CONFIG_PATH) return resolve(env.LORE_CONFIG_PATH);
  const base = env.XDG_CONFIG_HOME || join(home(env), ".config");
  return join(base, "lore", "config.json");
}

export function defaultDbPath(env: Env): string {
  const base = env.XDG_DATA_HOME || join(home(env), ".local", "share");
  return join(base, "lore", "lore.db");
}

/** Files lore can rebuild at any time (the validated config): `$XDG_CACHE_HOME/lore`. */
export function defaultCacheDir(env: Env): string {
  return join(env.XDG_CACHE_HOME || join(home(env), ".cache"), "lore");
}

/** `$LORE_DB_PATH` wins over `storage.dbPath` in config, which wins over the XDG default. */
export function resolveDbPath(env: Env, configured: string | undefined): string {
  if (env.LORE_DB_PATH) return resolve(env.LORE_DB_PATH);
  if (configured) return resolve(expandHome(configured, env));
  return defaultDbPath(env);
}

export function expandHome(path: string, env: Env): string {
  if (path === "~") return home(env);
  if (path.startsWith("~/")) return join(home(env), path.slice(2));
  return path;
}
