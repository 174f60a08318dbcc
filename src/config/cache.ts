// The validated config, remembered per config file: a command whose config file is unchanged since
// it was last validated takes the result from here and never imports the schema (zod costs ~50 ms
// at start-up). An entry counts only for the exact text it was made from and the exact build of
// lore that made it (the fingerprint covers the schema, the validator and zod), so an edited file,
// one rewritten by `lore config set` or `lore init`, or an upgraded lore is validated again. The
// cache is an optimisation only: a missing, unreadable or corrupt cache file is a miss.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { LoadedConfig } from "./load.js";

/** Config files remembered at most: one per config path in use (usually one). */
const MAX_ENTRIES = 8;

interface Entry {
  readonly path: string;
  readonly text: string;
  readonly loaded: LoadedConfig;
}

interface CacheFile {
  readonly fingerprint: string;
  readonly entries: readonly Entry[];
}

export interface ConfigCache {
  /** The validated config of `path` when it was made from exactly `text`. */
  lookup(path: string, text: string): LoadedConfig | undefined;
  /** Remembers what `text` (the file at `path`) validated to; failures to write are ignored. */
  store(path: string, text: string, loaded: LoadedConfig): void;
}

export function configCache(file: string, fingerprint: string): ConfigCache {
  const read = (): readonly Entry[] => {
    try {
      const cache = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheFile>;
      return cache.fingerprint === fingerprint && Array.isArray(cache.entries) ? cache.entries : [];
    } catch {
      return [];
    }
  };
  return {
    lookup(path, text) {
      const entry = read().find((e) => e.path === path);
      return entry?.text === text ? entry.loaded : undefined;
    },
    store(path, text, loaded) {
      const entries = [{ path, text, loaded }, ...read().filter((e) => e.path !== path)].slice(
        0,
        MAX_ENTRIES,
      );
      const temp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(temp, JSON.stringify({ fingerprint, entries } satisfies CacheFile), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        try {
          rmSync(temp, { force: true });
        } catch {
          // Nothing was written: the directory itself is unusable.
        }
      }
    },
  };
}
