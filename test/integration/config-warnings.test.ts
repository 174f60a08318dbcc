// Keys the config schema does not know are ignored, so each gets a warning naming the key the user
// most likely meant: a misspelt `tokenEnvVar` must not silently fall back to GITLAB_TOKEN.

import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";

let home: TempHome;
beforeEach(async () => {
  home = makeTempHome();
  const init = await runLore(
    [
      "init",
      "--gitlab-url",
      "https://gitlab.example.com",
      "--project",
      "group/proj",
      "--embedding-provider",
      "none",
    ],
    { env: home.env },
  );
  expect(init.code).toBe(0);
  const config = JSON.parse(readFileSync(home.configPath, "utf8"));
  delete config.gitlab.tokenEnvVar;
  config.gitlab.tokenEnvVr = "WORK_GITLAB_TOKEN";
  config.storage = { db_path: "/elsewhere/lore.db" };
  config.embeding = { provider: "ollama" };
  config.projects[0].pth = "group/other";
  writeFileSync(home.configPath, JSON.stringify(config, null, 2));
});
afterEach(() => home.cleanup());

const expected = [
  'unknown key "gitlab.tokenEnvVr" is ignored (did you mean "gitlab.tokenEnvVar"?)',
  'unknown key "projects[0].pth" is ignored (did you mean "projects[0].path"?)',
  'unknown key "storage.db_path" is ignored (did you mean "storage.dbPath"?)',
  'unknown key "embeding" is ignored (did you mean "embedding"?)',
];

it("warns about each unknown key with a did-you-mean, and still reads the file", async () => {
  const human = await runLore(["status"], { env: home.env });
  expect(human.code, human.stderr).toBe(0);
  for (const warning of expected) expect(human.stderr).toContain(`warning: ${home.configPath}: ${warning}`);
  expect(human.stdout).toContain("group/proj");

  const robot = await runLore(["--robot", "status"], { env: home.env });
  expect(robot.code).toBe(0);
  expect(robot.json().data.projects.map((p: { project: string }) => p.project)).toEqual(["group/proj"]);
  expect(robot.stderr).toContain('did you mean "gitlab.tokenEnvVar"?');
});

it("lists unknown keys in lore doctor's config check", async () => {
  const robot = await runLore(["--robot", "doctor"], { env: home.env });
  const config = (robot.json().data ?? robot.json().error.details).checks.find(
    (c: { name: string }) => c.name === "config",
  );
  expect(config).toMatchObject({ ok: true });
  expect([...config.warnings].sort()).toEqual([...expected].sort());
  const human = await runLore(["doctor"], { env: home.env });
  expect(human.stdout).toMatch(/! config +\S+config\.json \(1 project\(s\)\)/);
  expect(human.stdout).toContain(`warning: ${expected[0]}`);
});
