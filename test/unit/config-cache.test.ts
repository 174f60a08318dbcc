// The config cache answers only for the exact text and build it was made from; anything else, a
// damaged cache file included, is a miss.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configCache } from "../../src/config/cache.js";
import type { LoadedConfig } from "../../src/config/load.js";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lore-config-cache-"));
  file = join(dir, "cache", "config.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const loaded = (project: string): LoadedConfig =>
  ({ config: { projects: [{ path: project }] }, warnings: [`about ${project}`] }) as unknown as LoadedConfig;

describe("configCache", () => {
  it("gives back what was stored for the same path and text, in a private file", () => {
    configCache(file, "build-1").store("/c.json", '{"a":1}', loaded("g/a"));
    expect(configCache(file, "build-1").lookup("/c.json", '{"a":1}')).toEqual(loaded("g/a"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it.each([
    ["other text", "/c.json", '{"a":2}', "build-1"],
    ["other path", "/d.json", '{"a":1}', "build-1"],
    ["other build", "/c.json", '{"a":1}', "build-2"],
  ])("misses for %s", (_, path, text, fingerprint) => {
    configCache(file, "build-1").store("/c.json", '{"a":1}', loaded("g/a"));
    expect(configCache(file, fingerprint).lookup(path, text)).toBeUndefined();
  });

  it("misses without a cache file, and with a damaged one, which the next store replaces", () => {
    const cache = configCache(file, "build-1");
    expect(cache.lookup("/c.json", "{}")).toBeUndefined();
    cache.store("/c.json", "{}", loaded("g/a"));
    writeFileSync(file, "{not json");
    expect(cache.lookup("/c.json", "{}")).toBeUndefined();
    cache.store("/c.json", "{}", loaded("g/b"));
    expect(cache.lookup("/c.json", "{}")).toEqual(loaded("g/b"));
  });

  it("keeps one entry per config path, the latest, and at most eight paths", () => {
    const cache = configCache(file, "build-1");
    cache.store("/c.json", "1", loaded("g/one"));
    cache.store("/c.json", "2", loaded("g/two"));
    expect(cache.lookup("/c.json", "1")).toBeUndefined();
    expect(cache.lookup("/c.json", "2")).toEqual(loaded("g/two"));
    for (let i = 0; i < 10; i++) cache.store(`/p${i}.json`, "x", loaded(`g/${i}`));
    const entries = (JSON.parse(readFileSync(file, "utf8")) as { entries: { path: string }[] }).entries;
    expect(entries.map((e) => e.path)).toEqual(Array.from({ length: 8 }, (_, i) => `/p${9 - i}.json`));
  });

  it("ignores a cache directory it cannot write", () => {
    writeFileSync(join(dir, "cache"), "a file where the directory should be");
    const cache = configCache(file, "build-1");
    expect(() => cache.store("/c.json", "{}", loaded("g/a"))).not.toThrow();
    expect(cache.lookup("/c.json", "{}")).toBeUndefined();
  });
});
