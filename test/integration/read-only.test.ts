// Read commands on a database whose file and directory lore may not write (a mounted snapshot, a
// shared copy): they open it read-only and answer as they would on a writable one. The reader runs
// without the power to override permissions (see `unprivileged`), so the files are truly read-only.

import { chmodSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, omitKeys, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
const reads = [
  ["status"],
  ["search", "login"],
  ["search", "comment", "--type", "discussion"],
  ["issues"],
  ["issues", "1"],
  ["mrs", "--state", "all"],
  ["mrs", "1"],
  ["timeline", "issue:1"],
  ["notes", "--type", "all"],
  ["who", "src/"],
  ["who", "--active"],
  ["file-history", "src/login.ts", "--discussions"],
  ["trace", "src/login.ts"],
];
const writable: Record<string, unknown> = {};

beforeAll(async () => {
  gl = await startFakeGitLab();
  seedProject(gl, { issues: 3, mrs: 2 });
  home = makeTempHome();
  await configureLore(home, gl);
  const sync = await runLore(["--robot", "sync"], { env: home.env });
  expect(sync.code, sync.stdout).toBe(0);
  for (const args of reads) writable[args.join(" ")] = await read(args, false);
  // The last writer closes cleanly: WAL mode is set, and no -wal or -shm file is left to reuse.
  const writer = new Database(home.dbPath);
  writer.prepare("SELECT COUNT(*) FROM issues").get();
  writer.close();
  expect(existsSync(`${home.dbPath}-wal`)).toBe(false);
  expect(existsSync(`${home.dbPath}-shm`)).toBe(false);
  readOnly(true);
});

afterAll(async () => {
  readOnly(false);
  await gl.close();
  home.cleanup();
});

function readOnly(on: boolean): void {
  chmodSync(home.dbPath, on ? 0o444 : 0o644);
  chmodSync(dirname(home.dbPath), on ? 0o555 : 0o755);
}

async function read(args: readonly string[], unprivileged = true) {
  const result = await runLore(["--robot", ...args], { env: home.env, unprivileged });
  expect(result.code, `${args.join(" ")}: ${result.stdout}${result.stderr}`).toBe(0);
  // How long ago the copy was synced moves between the two reads; everything else must not.
  return omitKeys(result.json().data, ["age_seconds"]);
}

describe("a read-only database", () => {
  it("cannot be written by the reader (the situation is real)", async () => {
    const sync = await runLore(["--robot", "sync"], { env: home.env, unprivileged: true });
    expect(sync.code).toBe(8);
    expect(sync.json().error.code).toBe("DATABASE");
  });

  it("answers status, search, lists, timeline, notes, who, file-history and trace as the writable one did", async () => {
    for (const args of reads) expect(await read(args), args.join(" ")).toEqual(writable[args.join(" ")]);
    expect(existsSync(`${home.dbPath}-wal`)).toBe(false);
  });

  it("passes lore doctor's database check, saying what it could not check", async () => {
    const result = await runLore(["--robot", "doctor"], { env: home.env, unprivileged: true });
    const check = result.json().data.checks.find((c: { name: string }) => c.name === "database");
    expect(check, result.stdout).toMatchObject({ ok: true });
    expect(check.detail).toContain("quick_check ok");
    expect(check.detail).toContain("read-only");
  });

  it("reads what a running writer has not yet folded into the file", async () => {
    readOnly(false);
    const writer = new Database(home.dbPath);
    try {
      writer.pragma("wal_autocheckpoint = 0");
      writer.prepare("UPDATE issues SET title = 'Edited by a writer still running' WHERE iid = 1").run();
      readOnly(true);
      expect(existsSync(`${home.dbPath}-wal`)).toBe(true);
      const issue = (await read(["issues", "1"])).issue;
      expect(issue.title).toBe("Edited by a writer still running");
    } finally {
      readOnly(false);
      writer.prepare("UPDATE issues SET title = 'Issue 1: login fails with password' WHERE iid = 1").run();
      writer.close();
      readOnly(true);
    }
  });

  it("says a writer must open it first when its schema needs migrating", async () => {
    readOnly(false);
    const db = new Database(home.dbPath);
    const latest = db
      .prepare("SELECT * FROM schema_migrations ORDER BY version DESC LIMIT 1")
      .get() as Record<string, unknown>;
    db.prepare("DELETE FROM schema_migrations WHERE version = ?").run(latest.version);
    db.close();
    readOnly(true);
    try {
      const result = await runLore(["--robot", "issues"], { env: home.env, unprivileged: true });
      expect(result.code).toBe(8);
      const error = result.json().error;
      expect(error.code).toBe("DATABASE");
      expect(error.message).toContain("needs 1 schema migration");
      expect(error.message).toContain("not writable");
      expect(error.suggestion).toContain("lore sync");
    } finally {
      readOnly(false);
      const restore = new Database(home.dbPath);
      restore
        .prepare(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @applied_at)",
        )
        .run(latest);
      restore.close();
      readOnly(true);
    }
  });
});
