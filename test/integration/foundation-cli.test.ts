import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadMigrations } from "../../src/db/migrate.js";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";

let home: TempHome;
beforeEach(() => {
  home = makeTempHome();
});
afterEach(() => home.cleanup());

const init = (extra: string[] = [], env: Record<string, string> = {}) =>
  runLore(["init", "--gitlab-url", "https://gitlab.example.com/", "--project", "group/proj", ...extra], {
    env: { ...home.env, ...env },
  });

describe("lore --version and --help", () => {
  it("prints the version and help in both modes", async () => {
    const human = await runLore(["--version"], { env: home.env });
    expect(human.code).toBe(0);
    expect(human.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const robot = await runLore(["--robot", "--version"], { env: home.env });
    expect(robot.json()).toMatchObject({ ok: true, data: { version: human.stdout.trim() } });

    const help = await runLore(["--help"], { env: home.env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Examples:");
    const robotHelp = await runLore(["sync", "--help"], { env: { ...home.env, LORE_ROBOT: "1" } });
    expect(robotHelp.code).toBe(0);
    expect(robotHelp.json().data.help).toContain("Examples:");
  });

  it("prints help for a bare lore, in both modes", async () => {
    const bare = await runLore([], { env: home.env });
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain("Usage: lore");
    const robot = await runLore(["--robot"], { env: home.env });
    expect(robot.code).toBe(0);
    expect(robot.json().data.help).toContain("Usage: lore");
  });

  it("gives every command help with examples", async () => {
    for (const command of ["init", "doctor", "status"]) {
      const result = await runLore([command, "--help"], { env: home.env });
      expect(result.code, command).toBe(0);
      expect(result.stdout, command).toContain("Examples:");
    }
  });
});

describe("lore init", () => {
  it("writes a valid 0600 config without the token", async () => {
    const result = await init([], { GITLAB_TOKEN: "glpat-supersecret" });
    expect(result.code).toBe(0);
    const mode = statSync(home.configPath).mode & 0o777;
    expect(mode).toBe(0o600);
    const text = readFileSync(home.configPath, "utf8");
    expect(text).not.toContain("glpat-supersecret");
    expect(result.stdout + result.stderr).not.toContain("glpat-supersecret");
    const config = JSON.parse(text);
    expect(config.gitlab).toMatchObject({
      baseUrl: "https://gitlab.example.com/",
      tokenEnvVar: "GITLAB_TOKEN",
    });
    expect(config.projects).toEqual([{ path: "group/proj" }]);
  });

  it("refuses to overwrite without --force, and overwrites with it", async () => {
    expect((await init()).code).toBe(0);
    const again = await runLore(
      ["--robot", "init", "--gitlab-url", "https://gitlab.com", "--project", "other/proj"],
      { env: home.env },
    );
    expect(again.code).toBe(3);
    expect(again.json().error.code).toBe("CONFIG");
    expect(JSON.parse(readFileSync(home.configPath, "utf8")).projects).toEqual([{ path: "group/proj" }]);
    const forced = await runLore(
      ["init", "--gitlab-url", "https://gitlab.com", "--project", "other/proj", "--force"],
      {
        env: home.env,
      },
    );
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(home.configPath, "utf8")).projects).toEqual([{ path: "other/proj" }]);
  });

  it("rejects bad flag values with USAGE naming the flag, writing nothing", async () => {
    const result = await runLore(
      ["--robot", "init", "--gitlab-url", "not a url", "--project", "group/proj"],
      {
        env: home.env,
      },
    );
    expect(result.code).toBe(2);
    expect(result.json().error.message).toContain("--gitlab-url");
    expect(() => statSync(home.configPath)).toThrow();
  });

  it("requires flags when not on a terminal", async () => {
    const result = await runLore(["--robot", "init"], { env: home.env });
    expect(result.code).toBe(2);
    expect(result.json().error.code).toBe("USAGE");
  });
});

describe("config errors", () => {
  it("gives CONFIG (exit 3) naming the bad field", async () => {
    mkdirSync(dirname(home.configPath), { recursive: true });
    writeFileSync(
      home.configPath,
      JSON.stringify({
        gitlab: { baseUrl: "https://gitlab.com", concurrency: "many" },
        projects: [{ path: "a/b" }],
      }),
    );
    const result = await runLore(["--robot", "status"], { env: home.env });
    expect(result.code).toBe(3);
    const body = result.json();
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe("CONFIG");
    expect(body.error.message).toContain("gitlab.concurrency");
    expect(body.meta.command).toBe("status");

    const human = await runLore(["doctor"], { env: home.env });
    expect(human.code).toBe(3);
    expect(human.stdout).toContain("gitlab.concurrency");
  });

  it("reads the config from --config and LORE_CONFIG_PATH", async () => {
    const alt = `${home.dir}/alt.json`;
    const written = await runLore(
      ["init", "--config", alt, "--gitlab-url", "https://gitlab.com", "--project", "x/y"],
      {
        env: home.env,
      },
    );
    expect(written.code).toBe(0);
    const viaEnv = await runLore(["--robot", "status"], { env: { ...home.env, LORE_CONFIG_PATH: alt } });
    expect(viaEnv.json().data.projects.map((p: { project: string }) => p.project)).toEqual(["x/y"]);
    const viaFlag = await runLore(["status", "--robot", "--config", alt], { env: home.env });
    expect(viaFlag.json().data.config_path).toBe(alt);
  });
});

describe("usage errors", () => {
  it("maps an unknown flag to USAGE (exit 2) in both modes", async () => {
    const human = await runLore(["status", "--bogus"], { env: home.env });
    expect(human.code).toBe(2);
    expect(human.stdout).toBe("");
    expect(human.stderr).toContain("--bogus");
    const robot = await runLore(["status", "--bogus", "--robot"], { env: home.env });
    expect(robot.code).toBe(2);
    expect(robot.json()).toMatchObject({
      ok: false,
      error: { code: "USAGE", exit_code: 2 },
      meta: { command: "status" },
    });
    const unknown = await runLore(["--robot", "frobnicate"], { env: home.env });
    expect(unknown.code).toBe(2);
    expect(unknown.json().meta.command).toBe("");
  });
});

describe("database", () => {
  it("applies migrations once and refuses a database from a newer lore", async () => {
    await init();
    const first = await runLore(["--robot", "status"], { env: home.env });
    expect(first.code).toBe(0);
    // status never creates the database; doctor opens and migrates an existing one only.
    expect(first.json().data.db_exists).toBe(false);
    mkdirSync(dirname(home.dbPath), { recursive: true });
    new Database(home.dbPath).close();
    const created = await runLore(["--robot", "status"], { env: home.env });
    const version = created.json().data.schema_version;
    expect(version).toBeGreaterThanOrEqual(2);
    const db = new Database(home.dbPath);
    const count = (db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get() as { n: number }).n;
    db.close();
    const again = await runLore(["--robot", "status"], { env: home.env });
    expect(again.json().data.schema_version).toBe(version);
    const db2 = new Database(home.dbPath);
    expect((db2.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get() as { n: number }).n).toBe(count);
    db2
      .prepare(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, '999_future', 'x', 'now')",
      )
      .run();
    db2.close();
    const refused = await runLore(["--robot", "status"], { env: home.env });
    expect(refused.code).toBe(8);
    expect(refused.json().error).toMatchObject({ code: "DATABASE" });
    expect(refused.json().error.message).toContain("newer");
  });

  it("lets several lore processes migrate the same database at once", async () => {
    await init();
    mkdirSync(dirname(home.dbPath), { recursive: true });
    new Database(home.dbPath).close();
    const runs = await Promise.all(
      Array.from({ length: 8 }, () => runLore(["--robot", "status"], { env: home.env })),
    );
    for (const run of runs) expect(run.code, run.stdout).toBe(0);
    const db = new Database(home.dbPath, { readonly: true });
    const rows = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all();
    db.close();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows).toEqual(loadMigrations().map((m) => ({ version: m.version })));
  });

  it("gives DATABASE (exit 8) for a file that is not SQLite", async () => {
    await init();
    mkdirSync(dirname(home.dbPath), { recursive: true });
    writeFileSync(
      home.dbPath,
      "this is not a database, just text that is long enough to have a header".repeat(20),
    );
    const robot = await runLore(["--robot", "status"], { env: home.env });
    expect(robot.code).toBe(8);
    expect(robot.json().error.code).toBe("DATABASE");
    const doctor = await runLore(["doctor"], { env: home.env });
    expect(doctor.code).toBe(8);
    expect(doctor.stdout).toMatch(/✗ database/);
  });

  it("honours LORE_DB_PATH", async () => {
    await init();
    const path = `${home.dir}/custom.db`;
    new Database(path).close();
    const result = await runLore(["--robot", "status"], { env: { ...home.env, LORE_DB_PATH: path } });
    expect(result.json().data).toMatchObject({ db_path: path, db_exists: true });
  });
});
