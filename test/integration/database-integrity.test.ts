// A damaged database file says so, with the way to recover; nothing keeps writing into it; doctor
// finds the damage (and finds a sound file sound, search index included); --recover rebuilds.

import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, query, type Seeded, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let seeded: Seeded;
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: home.env });

beforeEach(async () => {
  gl = await startFakeGitLab();
  seeded = seedProject(gl, { issues: 4, mrs: 2 });
  home = makeTempHome();
  await configureLore(home, gl);
  const sync = await lore("sync");
  expect(sync.code, sync.stdout).toBe(0);
});
afterEach(async () => {
  await gl.close();
  home.cleanup();
});

/** Overwrites a few pages of the (checkpointed) database file: two tables' root pages and the last. */
function damagePages(dbPath: string): void {
  const db = new Database(dbPath);
  db.pragma("wal_checkpoint(TRUNCATE)");
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  const pageCount = db.pragma("page_count", { simple: true }) as number;
  const roots = db
    .prepare("SELECT rootpage FROM sqlite_master WHERE name IN ('issues', 'notes') ORDER BY name")
    .all() as { rootpage: number }[];
  db.close();
  const fd = openSync(dbPath, "r+");
  try {
    for (const page of [...roots.map((r) => r.rootpage), pageCount]) {
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    closeSync(fd);
  }
}

const fileHash = (path: string) =>
  existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : "absent";

describe("a database with damaged pages", () => {
  it("is reported as damaged with the way to recover, and no later sync writes into it", async () => {
    damagePages(home.dbPath);
    const full = await lore("sync", "--full");
    expect(full.code, full.stdout).toBe(8);
    const error = full.json().error;
    expect(error).toMatchObject({
      code: "DATABASE",
      message: expect.stringContaining(`The database at ${home.dbPath} is damaged`),
      suggestion: expect.stringContaining("lore sync --recover"),
      actions: ["lore sync --recover", "lore doctor"],
      details: {
        damaged: true,
        sqlite_code: expect.stringMatching(/^SQLITE_CORRUPT/),
        run_id: expect.any(Number),
      },
    });
    expect(error.suggestion).not.toContain("free disk space");

    const before = [home.dbPath, `${home.dbPath}-wal`].map(fileHash);
    const again = await lore("sync");
    expect(again.code).toBe(8);
    expect(again.json().error.message).toContain("will not write into it");
    expect(again.json().error.message).toContain("found damaged by lore sync at");
    expect(again.json().error.actions).toEqual(["lore sync --recover", "lore doctor"]);
    const embed = await lore("embed");
    expect(embed.code).toBe(8);
    expect([home.dbPath, `${home.dbPath}-wal`].map(fileHash)).toEqual(before);
  });

  it("fails lore doctor's database check, which says what quick_check found and how long it took", async () => {
    damagePages(home.dbPath);
    const doctor = await lore("doctor");
    expect(doctor.code, doctor.stdout).toBe(8);
    const check = doctor.json().error.details.checks.find((c: { name: string }) => c.name === "database");
    expect(check).toMatchObject({
      ok: false,
      code: "DATABASE",
      actions: ["lore sync --recover", "lore doctor"],
    });
    expect(check.detail).toMatch(/is damaged: quick_check found \d+ problem\(s\) in \d+\.\d+ s/);
    // What doctor found is remembered: a plain sync refuses the file.
    const sync = await lore("sync");
    expect(sync.code).toBe(8);
    expect(sync.json().error.message).toContain("found damaged by lore doctor at");
  });

  it("is moved aside by lore sync --recover, which builds a new mirror; a second --recover keeps it", async () => {
    const expected = query(home.dbPath, "SELECT iid, title FROM issues ORDER BY iid");
    damagePages(home.dbPath);
    expect((await lore("sync")).code).toBe(8);
    const recovered = await lore("sync", "--recover");
    expect(recovered.code, recovered.stdout).toBe(0);
    const recovery = recovered.json().data.recovery;
    expect(recovery).toMatchObject({ action: "moved_aside", moved_to: expect.stringContaining(".damaged-") });
    expect(existsSync(recovery.moved_to)).toBe(true);
    expect(existsSync(`${home.dbPath}-damaged`)).toBe(false);
    expect(query(home.dbPath, "SELECT iid, title FROM issues ORDER BY iid")).toEqual(expected);

    const twice = await lore("sync", "--recover");
    expect(twice.code).toBe(0);
    expect(twice.json().data.recovery).toMatchObject({ action: "none" });
    const doctor = await lore("doctor");
    expect(doctor.code, doctor.stdout).toBe(0);
  });
});

describe("a sound database", () => {
  it("passes FTS5's integrity-check against its documents after syncs", async () => {
    const integrity = () => {
      const db = new Database(home.dbPath);
      try {
        db.prepare("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").run();
      } finally {
        db.close();
      }
    };
    integrity();
    // Documents rewritten by an incremental sync (a renamed issue, a new reply) keep it consistent.
    gl.updateIssue(seeded.project, 1, { title: "Renamed: login fails everywhere" });
    gl.addDiscussion(seeded.issues[1] as Json, [{ body: "Another thread", author: gl.user("alice") }]);
    expect((await lore("sync")).code).toBe(0);
    integrity();
    expect(
      query(home.dbPath, "SELECT COUNT(*) AS n FROM documents WHERE source_type = 'discussion'"),
    ).not.toEqual([{ n: 0 }]);
    const doctor = await lore("doctor");
    expect(doctor.code, doctor.stdout).toBe(0);
    const check = doctor.json().data.checks.find((c: { name: string }) => c.name === "database");
    expect(check.detail).toMatch(/quick_check ok in \d+\.\d+ s, full-text index ok in \d+\.\d+ s/);
  });
});

describe("a search index that no longer matches its documents", () => {
  it("fails doctor's check and is rebuilt in place by lore sync --recover", async () => {
    const db = new Database(home.dbPath);
    // Tell the index a document held words it never held: its entries no longer match the table.
    db.prepare(
      "INSERT INTO documents_fts (documents_fts, rowid, indexed_title, lexical_header, lexical_body) VALUES ('delete', 1, 'ghost', '', 'phantom words')",
    ).run();
    db.close();
    const doctor = await lore("doctor");
    expect(doctor.code).toBe(8);
    const check = doctor.json().error.details.checks.find((c: { name: string }) => c.name === "database");
    expect(check.detail).toContain("the full-text search index does not match the documents");
    expect(check.actions).toEqual(["lore sync --recover"]);

    const recovered = await lore("sync", "--recover");
    expect(recovered.code, recovered.stdout).toBe(0);
    expect(recovered.json().data.recovery).toMatchObject({ action: "rebuilt_search_index" });
    expect((await lore("doctor")).code).toBe(0);
    expect((await lore("search", "login")).json().data.results.length).toBeGreaterThan(0);
  });
});

describe("lore doctor's integrity check", () => {
  // A millisecond is far less than the worker needs to start (load SQLite, open the file), so the
  // budget always runs out first: no test switch in the product holds the check.
  it("stops waiting after --db-timeout and says the file was not verified", async () => {
    const cut = await lore("doctor", "--db-timeout", "0.001");
    expect(cut.code, cut.stdout).toBe(0);
    const check = cut.json().data.checks.find((c: { name: string }) => c.name === "database");
    expect(check).toMatchObject({ ok: true, detail: expect.stringContaining("integrity not verified") });
    expect(check.warnings).toEqual([
      "the integrity check did not finish within 0.001 s; run lore doctor --db-timeout 0 to wait for it",
    ]);
  });

  it("rejects a --db-timeout that is not a number of seconds", async () => {
    for (const value of ["soon", "-1", "0.0001"]) {
      const bad = await lore("doctor", `--db-timeout=${value}`);
      expect(bad.code, value).toBe(2);
      expect(bad.json().error.message).toContain(`--db-timeout ${value}`);
    }
  });
});
