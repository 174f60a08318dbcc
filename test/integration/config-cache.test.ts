// The validated config is cached per file text ($XDG_CACHE_HOME/lore/config.json): an unchanged
// file is not validated again, and any change to the file — by hand or by lore — is.

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { configureLore, editConfig } from "../support/scenario.js";

let home: TempHome;
let cacheFile: string;
beforeEach(async () => {
  home = makeTempHome();
  cacheFile = join(home.dir, ".cache", "lore", "config.json");
  await configureLore(home, { url: "https://gitlab.example.com" });
});
afterEach(() => home.cleanup());

function rewriteConfig(edit: (config: Record<string, unknown>) => void): void {
  const config = JSON.parse(readFileSync(home.configPath, "utf8")) as Record<string, unknown>;
  edit(config);
  writeFileSync(home.configPath, JSON.stringify(config, null, 2));
}

const projectsOf = async () => {
  const result = await runLore(["--robot", "status"], { env: home.env });
  expect(result.code, result.stdout).toBe(0);
  return (result.json().data.projects as { project: string }[]).map((p) => p.project);
};

it("answers an unchanged config file from the cache, in a private file", async () => {
  expect(await projectsOf()).toEqual(["group/proj"]);
  expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
  // The entry for this exact text is what the next run uses: a doctored entry shows through.
  const cache = JSON.parse(readFileSync(cacheFile, "utf8"));
  expect(cache.entries[0].path).toBe(home.configPath);
  cache.entries[0].loaded.config.projects = [{ path: "from/cache" }];
  writeFileSync(cacheFile, JSON.stringify(cache));
  expect(await projectsOf()).toEqual(["from/cache"]);
});

it("validates again after any edit: a new project shows, an invalid value is CONFIG", async () => {
  expect(await projectsOf()).toEqual(["group/proj"]);
  rewriteConfig((config) => {
    config.projects = [{ path: "group/proj" }, { path: "team/api" }];
  });
  expect(await projectsOf()).toEqual(["group/proj", "team/api"]);
  editConfig(home, "gitlab", { concurrency: 0 });
  const invalid = await runLore(["--robot", "status"], { env: home.env });
  expect(invalid.code).toBe(3);
  expect(invalid.json().error).toMatchObject({ code: "CONFIG" });
  expect(invalid.json().error.message).toContain("gitlab.concurrency");
});

it("sees what lore config set wrote, and keeps warning about unknown keys on a cached run", async () => {
  const set = await runLore(["config", "set", "gitlab.concurrency", "3"], { env: home.env });
  expect(set.code, set.stderr).toBe(0);
  const get = await runLore(["--robot", "config", "get", "gitlab.concurrency"], { env: home.env });
  expect(get.json().data).toMatchObject({ value: 3 });
  rewriteConfig((config) => {
    config.embeding = {};
  });
  for (let run = 0; run < 2; run++) {
    const status = await runLore(["status"], { env: home.env });
    expect(status.code).toBe(0);
    expect(status.stderr).toContain('unknown key "embeding" is ignored');
  }
  expect(existsSync(cacheFile)).toBe(true);
});
