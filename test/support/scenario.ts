// Shared set-ups for sync tests: a fake GitLab project with issues, MRs and their dependents, a lore
// config pointing at it, and a stable dump of the mirror for "identical database" assertions.

import { readFileSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { runLore, type TempHome } from "./cli.js";
import type { FakeGitLab, Json } from "./fake-gitlab.js";

export interface SeedOptions {
  readonly path?: string;
  readonly issues?: number;
  readonly mrs?: number;
  /** Notes per discussion thread; each issue/MR gets one thread and one system note. */
  readonly notesPerThread?: number;
}

export interface Seeded {
  readonly project: Json;
  readonly issues: Json[];
  readonly mrs: Json[];
}

export function seedProject(gl: FakeGitLab, options: SeedOptions = {}): Seeded {
  const project = gl.addProject({ path: options.path ?? "group/proj" });
  const alice = gl.user("alice");
  const bob = gl.user("bob");
  const issues: Json[] = [];
  const mrs: Json[] = [];
  for (let i = 0; i < (options.issues ?? 3); i++) {
    const issue = gl.addIssue(project, {
      title: `Issue ${i + 1}: login fails with ${i % 2 ? "SSO" : "password"}`,
      description: `Steps to reproduce ${i + 1}.\n\nExpected: it works.`,
      labels: i % 2 ? ["bug", "auth"] : ["bug"],
      author: i % 2 ? alice : bob,
    });
    const notes = Array.from({ length: options.notesPerThread ?? 2 }, (_, n) => ({
      body: `Comment ${n + 1} on issue ${i + 1}`,
      author: n % 2 ? alice : bob,
    }));
    gl.addDiscussion(issue, notes, { individual: false });
    gl.addDiscussion(issue, [{ body: "changed the description", system: true }], { individual: true });
    gl.addEvent(issue, "label", {
      action: "add",
      label: { id: 1, name: "bug", color: "#f00", description: null },
    });
    issues.push(issue);
  }
  for (let m = 0; m < (options.mrs ?? 2); m++) {
    const mr = gl.addMergeRequest(project, {
      title: `MR ${m + 1}: fix login`,
      description: `Fixes #${m + 1}`,
      labels: ["backend"],
      author: alice,
      source_branch: `fix-${m + 1}`,
      target_branch: "main",
    });
    gl.addDiscussion(mr, [{ body: `Review comment on MR ${m + 1}`, author: bob }], { individual: false });
    const closes = issues[m];
    if (closes) {
      gl.setCloses(mr, [closes]);
      gl.setClosedBy(closes, [mr]);
      gl.setRelated(closes, [mr]);
    }
    gl.setDiffs(mr, [
      {
        old_path: "src/login.ts",
        new_path: "src/login.ts",
        new_file: false,
        renamed_file: false,
        deleted_file: false,
      },
      {
        old_path: "src/sso.ts",
        new_path: "src/sso.ts",
        new_file: true,
        renamed_file: false,
        deleted_file: false,
      },
    ]);
    gl.addEvent(mr, "state", { state: "opened" });
    mrs.push(mr);
  }
  return { project, issues, mrs };
}

/** Writes a lore config for the fake GitLab (embedding off unless given). */
export async function configureLore(
  home: TempHome,
  gl: Pick<FakeGitLab, "url">,
  projects: readonly string[] = ["group/proj"],
  extra: readonly string[] = ["--embedding-provider", "none"],
): Promise<void> {
  const args = [
    "init",
    "--gitlab-url",
    gl.url,
    ...projects.flatMap((p) => ["--project", p]),
    ...extra,
    "--force",
  ];
  const result = await runLore(args, { env: home.env });
  if (result.code !== 0) throw new Error(`lore init failed: ${result.stderr}`);
}

/** Merges `changes` into one section of the config file `lore init` wrote. */
export function editConfig(home: TempHome, section: string, changes: Record<string, unknown>): void {
  const config = JSON.parse(readFileSync(home.configPath, "utf8"));
  writeFileSync(
    home.configPath,
    JSON.stringify({ ...config, [section]: { ...config[section], ...changes } }),
  );
}

const MIRROR_TABLES: Record<string, string> = {
  projects: "SELECT id, path_with_namespace, raw_json FROM projects ORDER BY id",
  issues: "SELECT * FROM issues ORDER BY id",
  merge_requests: "SELECT * FROM merge_requests ORDER BY id",
  labels: "SELECT project_id, name FROM labels ORDER BY project_id, name",
  issue_labels:
    "SELECT i.iid, l.name FROM issue_labels x JOIN issues i ON i.id = x.issue_id JOIN labels l ON l.id = x.label_id ORDER BY 1, 2",
  merge_request_labels:
    "SELECT m.iid, l.name FROM merge_request_labels x JOIN merge_requests m ON m.id = x.merge_request_id JOIN labels l ON l.id = x.label_id ORDER BY 1, 2",
  discussions: "SELECT * FROM discussions ORDER BY id",
  notes: "SELECT * FROM notes ORDER BY id",
  resource_events: "SELECT * FROM resource_events ORDER BY kind, id",
  merge_request_closes_issues:
    "SELECT * FROM merge_request_closes_issues ORDER BY merge_request_id, position",
  issue_merge_request_links:
    "SELECT * FROM issue_merge_request_links ORDER BY issue_id, kind, merge_request_id",
  merge_request_files: "SELECT * FROM merge_request_files ORDER BY merge_request_id, position",
  entity_references: `SELECT owner_issue_id, owner_merge_request_id, source_type, source_project, source_iid, source_sha,
      target_type, target_project, target_iid, target_sha, kind, origin, detail, note_id, referenced_at, actor
    FROM entity_references ORDER BY owner_issue_id, owner_merge_request_id, source_type, source_project, source_iid,
      source_sha, target_type, target_project, target_iid, target_sha, kind, origin, detail, note_id`,
};

/** The mirrored content, without bookkeeping columns that legitimately differ between runs. */
export function dumpMirror(dbPath: string): Record<string, unknown[]> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    for (const [table, sql] of Object.entries(MIRROR_TABLES)) {
      out[table] = (db.prepare(sql).all() as Record<string, unknown>[]).map((row) => {
        const { synced_at: _s, fetched_at: _f, ...rest } = row;
        return rest;
      });
    }
    return out;
  } finally {
    db.close();
  }
}

export function query<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** `value` without these keys at any depth (e.g. `age_seconds`, which moves between two reads). */
export function omitKeys<T>(value: T, keys: readonly string[]): T {
  if (Array.isArray(value)) return value.map((item) => omitKeys(item, keys)) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !keys.includes(key))
      .map(([key, item]) => [key, omitKeys(item, keys)]),
  ) as T;
}
