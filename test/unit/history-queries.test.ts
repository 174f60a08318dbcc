// The history questions over a small real mirror (written through lore's own ingestion): the
// backfill of references for older mirrors, and the query plans of everything timeline and notes
// run — each must use an index, never scan a table that grows with the mirror.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { loadMigrations, migrate } from "../../src/db/migrate.js";
import type { Db } from "../../src/db/open.js";
import type { GitLabDiscussion, GitLabIssue, GitLabMergeRequest } from "../../src/gitlab/schemas.js";
import { entityByReference } from "../../src/history/mirror-entities.js";
import { listNotes, type NotesOptions, prefixEnd } from "../../src/history/notes.js";
import { backfillReferences, referencesBackfillPending } from "../../src/history/reference-backfill.js";
import { buildTimeline } from "../../src/history/timeline.js";
import { upsertIssue } from "../../src/ingestion/issues.js";
import { upsertMergeRequest } from "../../src/ingestion/merge-requests.js";
import { storeDependents } from "../../src/sync/dependents.js";
import { upsertProject } from "../../src/sync/projects.js";

const NOW = "2024-06-01T00:00:00.000Z";
const WEB = "https://gitlab.example.com/acme/api";
const user = (username: string) => ({ id: username.length, username });

function discussion(
  id: string,
  notes: { id: number; body: string; system?: boolean; author: string; at: string; diff?: string }[],
): GitLabDiscussion {
  return {
    id,
    individual_note: notes.length === 1,
    notes: notes.map((n) => ({
      id: n.id,
      body: n.body,
      system: n.system ?? false,
      author: user(n.author),
      created_at: n.at,
      updated_at: n.at,
      ...(n.diff
        ? { type: "DiffNote", position: { new_path: n.diff, old_path: n.diff, new_line: 3, old_line: null } }
        : {}),
    })),
  };
}

/** Issues #1–#3 and MR !1 closing #1 and mentioning #2; #1 mentions acme/web#5 (not synced). */
function buildMirror(db: Db): void {
  db.transaction(() => {
    upsertProject(db, { id: 1, path_with_namespace: "acme/api", name: "api", web_url: WEB }, NOW);
    const times = { syncedAt: NOW, fetchedAt: NOW };
    const issue = (iid: number, description: string, at: string) =>
      upsertIssue(
        db,
        {
          id: 100 + iid,
          iid,
          project_id: 1,
          title: `Issue ${iid}`,
          description,
          state: "opened",
          created_at: at,
          updated_at: at,
          author: user("alice"),
          web_url: `${WEB}/-/issues/${iid}`,
        } as GitLabIssue,
        1,
        times,
      );
    issue(1, "Broken, like acme/web#5.", "2024-01-01T00:00:00.000Z");
    issue(2, "Also broken.", "2024-01-02T00:00:00.000Z");
    issue(3, "Unrelated.", "2024-01-03T00:00:00.000Z");
    upsertMergeRequest(
      db,
      {
        id: 201,
        iid: 1,
        project_id: 1,
        title: "Fix",
        description: "Closes #1. Part of #2.",
        state: "opened",
        created_at: "2024-01-04T00:00:00.000Z",
        updated_at: "2024-01-04T00:00:00.000Z",
        author: user("carol"),
        web_url: `${WEB}/-/merge_requests/1`,
      } as GitLabMergeRequest,
      1,
      times,
    );
    const none = { stateEvents: [], labelEvents: [], milestoneEvents: [] };
    storeDependents(
      db,
      { type: "issue", id: 101, projectId: 1 },
      {
        type: "issue",
        ...none,
        discussions: [
          discussion("d1", [
            {
              id: 1,
              body: "mentioned in merge request !1",
              system: true,
              author: "carol",
              at: "2024-01-04T00:00:00.000Z",
            },
          ]),
          discussion("d2", [
            { id: 2, body: "I see it too", author: "bob", at: "2024-01-05T00:00:00.000Z" },
            { id: 3, body: "Same, see #3", author: "dave", at: "2024-01-06T00:00:00.000Z" },
          ]),
        ],
        relatedMergeRequests: [],
        closedBy: [],
      },
      NOW,
      {
        iid: 1,
        title: "Issue 1",
        description: "Broken, like acme/web#5.",
        created_at: "2024-01-01T00:00:00.000Z",
        author: user("alice"),
      },
    );
    storeDependents(
      db,
      { type: "merge_request", id: 201, projectId: 1 },
      {
        type: "merge_request",
        ...none,
        discussions: [
          discussion("d3", [
            { id: 4, body: "Why here?", author: "bob", at: "2024-01-07T00:00:00.000Z", diff: "src/a.ts" },
          ]),
        ],
        closesIssues: [{ id: 101, iid: 1, project_id: 1, web_url: `${WEB}/-/issues/1` }],
        changedFiles: [],
      },
      NOW,
      {
        iid: 1,
        title: "Fix",
        description: "Closes #1. Part of #2.",
        created_at: "2024-01-04T00:00:00.000Z",
        author: user("carol"),
      },
    );
  }).immediate();
}

function mirror(): Db {
  const db = new Database(":memory:");
  migrate(db);
  buildMirror(db);
  return db;
}

const referenceRows = (db: Db) =>
  db
    .prepare(
      `SELECT owner_issue_id, owner_merge_request_id, source_type, source_project, source_iid, source_sha,
         target_type, target_project, target_iid, target_sha, kind, origin, detail, note_id, referenced_at, actor
       FROM entity_references ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14`,
    )
    .all();

describe("references of older mirrors", () => {
  it("migration 011 leaves a mirror with entities pending, and a new one done", () => {
    const fresh = new Database(":memory:");
    migrate(fresh);
    expect(referencesBackfillPending(fresh)).toBe(false);

    const older = new Database(":memory:");
    migrate(
      older,
      loadMigrations().filter((m) => m.version < 11),
    );
    older.exec(`INSERT INTO projects (id, path_with_namespace, raw_json, synced_at) VALUES (1, 'acme/api', '{}', 'now');
      INSERT INTO issues (id, project_id, iid, title, state, web_url, created_at, updated_at, raw_json, synced_at)
      VALUES (101, 1, 1, 't', 'opened', 'u', 'now', 'now', '{}', 'now')`);
    migrate(older);
    expect(referencesBackfillPending(older)).toBe(true);
  });

  it("migration 016 re-derives the issues holding a 'created merge request' note, and only then", async () => {
    const older = () => {
      const db = new Database(":memory:");
      migrate(
        db,
        loadMigrations().filter((m) => m.version < 16),
      );
      buildMirror(db);
      return db;
    };
    const untouched = older();
    migrate(untouched);
    expect(referencesBackfillPending(untouched)).toBe(false);

    const db = older();
    const addresses = "SELECT COUNT(*) FROM entity_references WHERE detail = 'addresses'";
    // As an older lore stored it: the note, but no reference read from it.
    db.exec(`INSERT INTO discussions (id, project_id, issue_id, individual_note, position) VALUES ('d9', 1, 103, 1, 9);
      INSERT INTO notes (id, discussion_id, position, body, author_username, system, created_at, updated_at, raw_json)
      VALUES (90, 'd9', 0, 'created merge request !1 to address this issue', 'carol', 1, '${NOW}', '${NOW}', '{}')`);
    expect(db.prepare(addresses).pluck().get()).toBe(0);
    migrate(db);
    expect(referencesBackfillPending(db)).toBe(true);
    const result = await backfillReferences(db, { signal: new AbortController().signal });
    // Issue #3 (id 103) and the merge request are not walked again: nothing before #3 changed.
    expect(result.entities).toBe(1);
    expect(
      db
        .prepare(
          "SELECT source_type, source_iid, target_type, target_iid, kind, origin FROM entity_references WHERE detail = 'addresses'",
        )
        .all(),
    ).toEqual([
      {
        source_type: "merge_request",
        source_iid: 1,
        target_type: "issue",
        target_iid: 3,
        kind: "related",
        origin: "system_note",
      },
    ]);
  });

  it("the backfill derives what sync wrote, resuming after an interruption", async () => {
    const db = mirror();
    const synced = referenceRows(db);
    expect(synced.length).toBeGreaterThanOrEqual(6);
    db.exec(
      "DELETE FROM entity_references; UPDATE entity_references_backfill SET next_issue_id = 0, next_merge_request_id = 0, finished_at = NULL",
    );
    const stop = new AbortController();
    let caught: unknown;
    try {
      await backfillReferences(db, {
        signal: stop.signal,
        batchSize: 1,
        onProgress: (done) => {
          if (done === 2) stop.abort();
        },
      });
    } catch (error) {
      caught = error;
    }
    expect(isLoreError(caught, "CANCELLED")).toBe(true);
    expect(referencesBackfillPending(db)).toBe(true);
    expect(db.prepare("SELECT next_issue_id FROM entity_references_backfill").pluck().get()).toBe(102);

    const progress: number[] = [];
    const result = await backfillReferences(db, {
      signal: new AbortController().signal,
      onProgress: (done, total) => progress.push(done, total),
    });
    expect(result.entities).toBe(2);
    expect(progress.at(-1)).toBe(2);
    expect(referencesBackfillPending(db)).toBe(false);
    expect(referenceRows(db)).toEqual(synced);
  });
});

interface Recorded {
  readonly sql: string;
  readonly args: unknown[];
}

/** A connection that records every statement run through it, with its arguments. */
function recording(db: Db): { db: Db; recorded: Recorded[] } {
  const recorded: Recorded[] = [];
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => {
          const statement = target.prepare(sql);
          return new Proxy(statement, {
            get(st, key) {
              const value = Reflect.get(st, key, st);
              if (typeof value !== "function") return value;
              if (key === "all" || key === "get" || key === "run") {
                return (...args: unknown[]) => {
                  recorded.push({ sql, args });
                  return value.apply(st, args);
                };
              }
              return value.bind(st);
            },
          });
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, recorded };
}

// Tables that grow with the mirror: a plan that walks one of them whole is a lost index.
const LARGE =
  /\bSCAN (notes|n|entity_references|issues|e|merge_requests|discussions|d|resource_events|documents)\b/;

function plans(db: Db, recorded: readonly Recorded[]): { sql: string; plan: string[] }[] {
  return recorded
    .filter((r) => /^\s*SELECT/i.test(r.sql))
    .map((r) => ({
      sql: r.sql,
      plan: (db.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).all(...r.args) as { detail: string }[]).map(
        (p) => p.detail,
      ),
    }));
}

describe("query plans", () => {
  it("timeline --depth 2 reads every table through an index", () => {
    const db = mirror();
    const { db: watched, recorded } = recording(db);
    const seed = entityByReference(db, "issue", "acme/api", 1);
    if (!seed) throw new Error("seed missing");
    const result = buildTimeline(watched, { seeds: [seed], depth: 2, mentions: true, limit: 200 });
    expect(result.entities.map((e) => `${e.entity_type}${e.iid}`)).toEqual([
      "issue1",
      "issue3",
      "merge_request1",
      "issue2",
    ]);
    const all = plans(db, recorded);
    expect(all.length).toBeGreaterThan(5);
    for (const { sql, plan } of all) expect(plan.join("\n"), sql).not.toMatch(LARGE);
    const references = all.filter((p) => /FROM entity_references\s+WHERE/.test(p.sql));
    expect(references.length).toBeGreaterThan(0);
    for (const { plan } of references) {
      expect(plan.join("\n")).toContain("USING INDEX entity_references_source");
      expect(plan.join("\n")).toContain("USING INDEX entity_references_target");
    }
    const lookups = all.filter((p) => p.sql.includes("COLLATE NOCASE AND e.iid"));
    expect(lookups.length).toBeGreaterThan(0);
    for (const { plan } of lookups) expect(plan.join("\n")).toContain("projects_path_nocase");
  });

  const notesBase: NotesOptions = { sort: "created", ascending: false, limit: 50 };
  // A page in index order needs no sort; one entity's notes are few enough to sort.
  it.each<[string, Partial<NotesOptions>, string, boolean]>([
    ["--author, newest first", { author: "bob" }, "notes_author_system_created", false],
    [
      "--author --since",
      { author: "bob", since: "2024-01-05T00:00:00.000Z" },
      "notes_author_system_created",
      false,
    ],
    ["every user note, newest first", {}, "notes_system_created", false],
    ["--on an issue", { on: { type: "issue", id: 101 } }, "notes_discussion", true],
    [
      "--on an MR, by --author",
      { on: { type: "merge_request", id: 201 }, author: "bob" },
      "notes_discussion",
      true,
    ],
    ["-p", { projectIds: [1] }, "notes_system_created", false],
    ["--path", { pathPrefix: "src/" }, "notes_position_new_path", true],
    [
      "--path --author -p",
      { pathPrefix: "src/a", author: "bob", projectIds: [1] },
      "notes_position_new_path",
      true,
    ],
    [
      "--path --on an MR",
      { pathPrefix: "src/", on: { type: "merge_request", id: 201 } },
      "notes_discussion",
      true,
    ],
  ])("notes %s uses %s", (_name, options, index, sorts) => {
    const db = mirror();
    const { db: watched, recorded } = recording(db);
    listNotes(watched, { ...notesBase, ...options });
    const all = plans(db, recorded);
    for (const { sql, plan } of all) expect(plan.join("\n"), sql).not.toMatch(LARGE);
    const page = all.find((p) => p.sql.includes("ORDER BY")) as { plan: string[] };
    expect(page.plan.join("\n")).toContain(index);
    if (!sorts) expect(page.plan.join("\n")).not.toContain("TEMP B-TREE");
    // A path reaches its DiffNotes by range on both sides of the diff, for the page and the count.
    if (options.pathPrefix !== undefined && !options.on) {
      for (const { plan } of all.filter((p) => p.sql.includes("position_new_path"))) {
        expect(plan.join("\n")).toContain(
          "notes_position_new_path (position_new_path>? AND position_new_path<?)",
        );
        expect(plan.join("\n")).toContain(
          "notes_position_old_path (position_old_path>? AND position_old_path<?)",
        );
      }
    }
  });
});

describe("notes --path", () => {
  it.each<[string, string | null]>([
    ["src/", "src0"],
    ["src/a", "src/b"],
    ["z", "{"],
    ["ü", "ý"],
    ["a\u{10FFFF}", "b"],
    ["\u{D7FF}", "\u{E000}"],
    ["\u{1F600}", "\u{1F601}"],
    ["\u{10FFFF}", null],
    ["", null],
  ])("%j ends before %j", (prefix, end) => {
    expect(prefixEnd(prefix)).toBe(end);
  });

  it("matches every DiffNote whose new or old path starts with the prefix, and nothing else", () => {
    const db = mirror();
    const paths: [string, string][] = [
      ["src/a.ts", "src/a.ts"],
      ["src/ab/x.ts", "src/ab/x.ts"],
      ["src/b.ts", "lib/old.ts"],
      ["lib/new.ts", "src/a.ts"],
      ["src", "src"],
      ["srcx/c.ts", "srcx/c.ts"],
      ["docs/ü.md", "docs/ü.md"],
      ["docs/ý.md", "docs/ý.md"],
      ["docs/😀/a.md", "docs/😀/a.md"],
    ];
    const insert = db.prepare(`INSERT INTO notes (id, discussion_id, position, type, body, author_username,
      system, position_json, created_at, updated_at, raw_json) VALUES (?, 'd3', ?, 'DiffNote', ?, 'bob', 0, ?, ?, ?, '{}')`);
    paths.forEach(([newPath, oldPath], i) => {
      const at = `2024-02-0${i + 1}T00:00:00.000Z`;
      insert.run(100 + i, 10 + i, newPath, JSON.stringify({ new_path: newPath, old_path: oldPath }), at, at);
    });
    const matching = (prefix: string) =>
      listNotes(db, { sort: "created", ascending: true, limit: 100, pathPrefix: prefix }).notes.map(
        (n) => n.body,
      );
    for (const prefix of ["src/", "src/a", "src", "lib/", "docs/ü", "docs/😀", "srcx/c.ts", "nothing/"]) {
      const expected = paths.filter(([n, o]) => n.startsWith(prefix) || o.startsWith(prefix)).map(([n]) => n);
      // The fixture's own DiffNote (src/a.ts in d3, note 4) comes first, by time.
      const own = "src/a.ts".startsWith(prefix) ? ["Why here?"] : [];
      expect(matching(prefix), prefix).toEqual([...own, ...expected]);
    }
  });
});
