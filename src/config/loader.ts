// How a command loads its config: from the config cache when the file's text is the one last
// validated by this build of lore, else validated by the schema (imported only then) and cached.

import { join } from "node:path";
import { defaultCacheDir, type Env } from "../core/paths.js";
import { configCache } from "./cache.js";
import type { LoadedConfig } from "./load.js";
import { readConfigText } from "./text.js";

// Set by the build (scripts/build.mjs): a hash of lore's sources and lockfile. Unset when running
// from src/ (tests), where nothing is cached.
declare const __LORE_BUILD_FINGERPRINT__: string | undefined;
const FINGERPRINT = typeof __LORE_BUILD_FINGERPRINT__ === "string" ? __LORE_BUILD_FINGERPRINT__ : undefined;

/**
 * Prepares loading the config at `path`, whose text is read now. The returned function gives the
 * config (or throws its CONFIG error) when a command first asks for it.
 */
export async function configLoader(path: string, env: Env): Promise<() => LoadedConfig> {
  const cache = FINGERPRINT ? configCache(join(defaultCacheDir(env), "config.json"), FINGERPRINT) : undefined;
  let text: string | undefined;
  try {
    text = readConfigText(path);
  } catch {
    // Reported by the schema's loader below, when a command asks for the config.
  }
  const cached = text === undefined ? undefined : cache?.lookup(path, text);
  if (cached) return () => cached;
  const { configFromText } = await import("./load.js");
  return () => {
    const current = readConfigText(path);
    const loaded = configFromText(path, current);
    cache?.store(path, current, loaded);
    return loaded;
  };
}
