// lore on a Node.js that is too old: it says so before anything native loads (on Node 20 the SQLite
// addon used to kill lore with exit 139 and no output), and `npm ci` refuses early.

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LORE_BIN, makeTempHome, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { oldNode } from "../support/old-node.js";
import { configureLore, seedProject } from "../support/scenario.js";

const node20 = oldNode();
const repo = resolve(import.meta.dirname, "../..");
let gl: FakeGitLab;
let home: TempHome;

beforeAll(async () => {
  gl = await startFakeGitLab();
  seedProject(gl);
  home = makeTempHome();
  await configureLore(home, gl);
});
afterAll(async () => {
  await gl.close();
  home.cleanup();
});

const underOldNode = (...args: string[]) =>
  spawnSync(node20, [LORE_BIN, ...args], { env: { ...home.env, PATH: dirname(node20) }, encoding: "utf8" });

it("refuses to start on Node older than 22, naming both versions and the way out", () => {
  const found = spawnSync(node20, ["--version"], { encoding: "utf8" }).stdout.trim();
  for (const args of [["--version"], ["sync"], ["search", "login"], ["issues"]]) {
    const result = underOldNode(...args);
    expect(result.status, args.join(" ")).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(
      `error [CONFIG] lore needs Node.js 22 or newer (found ${found}).`,
    );
    expect(result.stderr).toContain(`hint: export PATH="$(sh ${join(repo, "scripts/get-node.sh")}):$PATH"`);
    expect(result.stderr).not.toMatch(/\n\s+at |SyntaxError|Node\.js v\d/);
  }
});

it("answers robot mode with one CONFIG envelope", () => {
  for (const args of [
    ["--robot", "status"],
    ["sync", "--json"],
  ]) {
    const result = underOldNode(...args);
    expect(result.status).toBe(3);
    const envelope = JSON.parse(result.stdout);
    expect(envelope.ok).toBe(false);
    expect(envelope.error).toMatchObject({ code: "CONFIG", exit_code: 3 });
    expect(envelope.error.message).toMatch(/^lore needs Node\.js 22 or newer \(found v20\./);
    expect(envelope.error.actions).toContain("nvm install 24");
    expect(envelope.meta.command).toBe("");
    expect(result.stderr).toBe("");
  }
});

it("makes npm ci on Node 20 stop at once with the engine requirement, not a node-gyp error", () => {
  const dir = mkdtempSync(join(tmpdir(), "lore-npm-"));
  try {
    for (const file of ["package.json", "package-lock.json", ".npmrc"])
      copyFileSync(join(repo, file), join(dir, file));
    const result = spawnSync("npm", ["ci", "--dry-run", "--offline", "--no-audit", "--no-fund"], {
      cwd: dir,
      env: {
        PATH: `${dirname(node20)}:${process.env.PATH}`,
        HOME: dir,
        npm_config_cache: join(dir, "cache"),
      },
      encoding: "utf8",
    });
    expect(result.status).not.toBe(0);
    // An error, not the warning npm prints (and goes on past) without engine-strict.
    expect(result.stderr).toContain("npm error code EBADENGINE");
    expect(result.stderr).toContain('Required: {"node":">=22"}');
    expect(result.stderr).not.toContain("gyp");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
