// Cross-references, `lore timeline` and `lore notes` from the built binary against the fake GitLab:
// references are stored from descriptions, notes, GitLab's system notes and links on every sync
// path and replaced on re-sync; the timeline walks them; notes filters each narrow the list.

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, omitKeys, query } from "../support/scenario.js";

let gl: FakeGitLab;
let home: TempHome;
let project: Json;
let issue1: Json;
let issue2: Json;
let mr1: Json;
let issue4: Json;
let noteOnIssue2: Json;
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: home.env });
const data = async (...args: string[]) => {
  const result = await lore(...args);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  // How long ago a copy was synced moves between two reads that are compared.
  return omitKeys(result.json().data, ["age_seconds"]);
};

interface ReferenceRow {
  owner: string;
  source: string;
  target: string;
  kind: string;
  origin: string;
  detail: string | null;
  actor: string | null;
}

/** The stored references as readable rows, e.g. `acme/platform!1 > acme/platform#1 closes`. */
function references(): ReferenceRow[] {
  return query<ReferenceRow>(
    home.dbPath,
    `SELECT COALESCE('#' || oi.iid, '!' || om.iid) AS owner,
       r.source_project || CASE r.source_type WHEN 'issue' THEN '#' || r.source_iid WHEN 'merge_request' THEN '!' || r.source_iid ELSE '@' || r.source_sha END AS source,
       r.target_project || CASE r.target_type WHEN 'issue' THEN '#' || r.target_iid WHEN 'merge_request' THEN '!' || r.target_iid ELSE '@' || r.target_sha END AS target,
       r.kind, r.origin, r.detail, r.actor
     FROM entity_references r
     LEFT JOIN issues oi ON oi.id = r.owner_issue_id
     LEFT JOIN merge_requests om ON om.id = r.owner_merge_request_id
     ORDER BY owner, source, target, kind, origin, detail, actor`,
  );
}

const has = (rows: readonly ReferenceRow[], partial: Partial<ReferenceRow>) =>
  rows.some((row) =>
    Object.entries(partial).every(([key, value]) => row[key as keyof ReferenceRow] === value),
  );

beforeAll(async () => {
  gl = await startFakeGitLab({ startTime: "2024-03-01T09:00:00.000Z", autoTickMs: 60_000 });
  project = gl.addProject({ path: "acme/platform" });
  const alice = gl.user("alice");
  const bob = gl.user("bob");
  const carol = gl.user("carol");
  const dave = gl.user("dave");

  issue1 = gl.addIssue(project, {
    title: "Login fails behind a proxy",
    description: [
      "Login fails when HTTPS_PROXY is set. The web app has the same bug: acme/web#5.",
      "",
      "```",
      "see #3 in the old tracker",
      "```",
      "and `#3` again, in code.",
    ].join("\n"),
    labels: ["bug"],
    author: alice,
  });
  issue2 = gl.addIssue(project, {
    title: "Proxy settings are ignored by the CLI",
    description: "The CLI reads no proxy variable.",
    author: bob,
  });
  const issue3 = gl.addIssue(project, {
    title: "Old tracker import",
    description: "Nothing here.",
    author: bob,
  });
  issue4 = gl.addIssue(project, { title: "Document proxy support", description: "Docs.", author: dave });
  gl.addEvent(issue1, "label", {
    action: "add",
    user: bob,
    label: { id: 7, name: "bug", color: "#f00", description: null },
  });
  gl.addDiscussion(issue1, [{ body: "assigned to @dave", system: true, author: bob }]);
  gl.addDiscussion(issue1, [
    {
      body: `I can reproduce it on 2.3.\nDocs need it too: ${gl.url}/acme/platform/-/issues/${issue4.iid}`,
      author: bob,
    },
    { body: "Same here, with a corporate proxy.", author: dave },
  ]);

  mr1 = gl.addMergeRequest(project, {
    title: "Fix login behind a proxy",
    description: "Closes #1\n\nThe CLI part is #2.",
    author: carol,
    target_branch: "main",
  });
  gl.addDiscussion(issue1, [{ body: `mentioned in merge request !${mr1.iid}`, system: true, author: carol }]);
  gl.addDiscussion(issue2, [{ body: `mentioned in merge request !${mr1.iid}`, system: true, author: carol }]);
  gl.addDiscussion(issue1, [{ body: "mentioned in commit 1a2b3c4d5e6f", system: true, author: carol }]);
  gl.addDiscussion(mr1, [{ body: "requested review from @alice", system: true, author: carol }]);
  gl.addDiscussion(mr1, [
    {
      body: "Should this read NO_PROXY as well?",
      author: alice,
      type: "DiffNote",
      position: {
        base_sha: "a",
        start_sha: "b",
        head_sha: "c",
        old_path: "src/net/proxy.ts",
        new_path: "src/net/proxy.ts",
        position_type: "text",
        old_line: null,
        new_line: 12,
      },
    },
    { body: "Done in the next commit.", author: carol },
  ]);
  noteOnIssue2 = gl.addDiscussion(issue2, [
    { body: "Tracked separately, see acme/platform#3 later.", author: alice },
  ]);
  gl.setCloses(mr1, [issue1]);
  gl.setClosedBy(issue1, [mr1]);
  gl.setRelated(issue1, [mr1]);
  gl.setRelated(issue2, [mr1]);
  gl.addEvent(mr1, "state", { state: "merged", user: alice });
  gl.updateMergeRequest(project, mr1.iid as number, {
    state: "merged",
    merged_at: gl.nowIso(),
    merge_user: alice,
  });
  gl.addEvent(issue1, "state", { state: "closed", user: alice, source_merge_request_id: mr1.id });
  gl.updateIssue(project, issue1.iid as number, {
    state: "closed",
    closed_at: gl.nowIso(),
    closed_by: alice,
  });
  gl.addEvent(issue1, "milestone", { action: "add", user: bob });
  void issue3;

  home = makeTempHome();
  await configureLore(home, gl, ["acme/platform"]);
  await data("sync");
});

afterAll(async () => {
  await gl?.close();
  home?.cleanup();
});

describe("cross-references", () => {
  it("are stored from descriptions, notes, system notes and links, never from code", () => {
    const rows = references();
    // #1's description: another project's issue; #3 appears only in code.
    expect(
      has(rows, { owner: "#1", source: "acme/platform#1", target: "acme/web#5", origin: "description" }),
    ).toBe(true);
    expect(rows.some((r) => r.target === "acme/platform#3" && r.owner === "#1")).toBe(false);
    // A note's web URL.
    expect(has(rows, { owner: "#1", target: "acme/platform#4", origin: "note", actor: "bob" })).toBe(true);
    // GitLab's "mentioned in merge request !1" on #2 says !1 → #2, and belongs to #2.
    expect(
      has(rows, {
        owner: "#2",
        source: "acme/platform!1",
        target: "acme/platform#2",
        kind: "mentioned",
        origin: "system_note",
        detail: "mentioned_in",
        actor: "carol",
      }),
    ).toBe(true);
    // A commit, kept by its sha.
    expect(has(rows, { owner: "#1", source: "acme/platform@1a2b3c4d5e6f", target: "acme/platform#1" })).toBe(
      true,
    );
    // Closing links from both sides, and the MR's own description.
    expect(
      has(rows, {
        owner: "!1",
        source: "acme/platform!1",
        target: "acme/platform#1",
        kind: "closes",
        origin: "closes_issues",
      }),
    ).toBe(true);
    expect(
      has(rows, {
        owner: "#1",
        source: "acme/platform!1",
        target: "acme/platform#1",
        kind: "closes",
        origin: "closed_by",
      }),
    ).toBe(true);
    expect(
      has(rows, {
        owner: "#2",
        source: "acme/platform!1",
        kind: "related",
        origin: "related_merge_requests",
      }),
    ).toBe(true);
    expect(
      has(rows, { owner: "!1", source: "acme/platform!1", target: "acme/platform#2", origin: "description" }),
    ).toBe(true);
  });

  it("are replaced when an entity is synced again, incrementally or surgically", async () => {
    gl.updateIssue(project, issue1.iid as number, {
      description: "Login fails when HTTPS_PROXY is set; the CLI issue is #2.",
    });
    await data("sync");
    let rows = references();
    expect(rows.some((r) => r.target === "acme/web#5")).toBe(false);
    expect(has(rows, { owner: "#1", target: "acme/platform#2", origin: "description" })).toBe(true);
    // Rows #2 owns that name !1 are untouched by re-syncing !1, and the other way round.
    expect(has(rows, { owner: "#2", source: "acme/platform!1", origin: "system_note" })).toBe(true);

    gl.editNote(issue2, (noteOnIssue2.notes as Json[])[0]?.id as number, {
      body: "Tracked separately in !1.",
    });
    await data("sync", "--issue", String(issue2.iid));
    rows = references();
    expect(has(rows, { owner: "#2", source: "acme/platform#2", target: "acme/platform#3" })).toBe(false);
    expect(
      has(rows, { owner: "#2", source: "acme/platform#2", target: "acme/platform!1", origin: "note" }),
    ).toBe(true);
    expect(
      has(rows, { owner: "!1", source: "acme/platform!1", target: "acme/platform#1", kind: "closes" }),
    ).toBe(true);
  });
});

interface TimelineEvent {
  at: string;
  entity_type: string;
  project: string;
  iid: number;
  kind: string;
  actor: string | null;
  summary: string;
  url: string;
}

const line = (e: TimelineEvent) =>
  `${e.project}${e.entity_type === "issue" ? "#" : "!"}${e.iid} ${e.kind} ${e.actor ?? "-"}: ${e.summary}`;

describe("lore timeline", () => {
  it("of an issue closed by an MR that mentions another issue shows all three in order, with actors", async () => {
    const timeline = await data("timeline", "issue:1", "--depth", "2");
    expect(timeline.seeds).toEqual([{ entity_type: "issue", project: "acme/platform", iid: 1 }]);
    const reached = timeline.entities.map(
      (e: { iid: number; entity_type: string; depth: number; via: string | null }) => [
        `${e.entity_type === "issue" ? "#" : "!"}${e.iid}`,
        e.depth,
        e.via,
      ],
    );
    expect(reached).toEqual([
      ["#1", 0, null],
      ["#2", 1, "mentioned"],
      ["#4", 1, "mentioned"],
      ["!1", 1, "closes"],
    ]);
    const events: TimelineEvent[] = timeline.events;
    const ats = events.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
    const lines = events.map(line);
    const index = (text: string) => {
      const at = lines.findIndex((l) => l.includes(text));
      expect(at, `${text} in\n${lines.join("\n")}`).toBeGreaterThanOrEqual(0);
      return at;
    };
    const created1 = index('acme/platform#1 created alice: created issue "Login fails behind a proxy"');
    const created2 = index("acme/platform#2 created bob:");
    const labelled = index("acme/platform#1 label_added bob: added label ~bug");
    const assigned = index("acme/platform#1 assignee_added bob: assigned @dave");
    const note = index("acme/platform#1 note bob: commented: I can reproduce it on 2.3. …");
    const mrCreated = index(
      'acme/platform!1 created carol: created merge request "Fix login behind a proxy"',
    );
    const closes = index("acme/platform!1 reference carol: acme/platform!1 closes acme/platform#1");
    const mentions2 = index("acme/platform!1 reference carol: acme/platform!1 mentioned acme/platform#2");
    const review = index("acme/platform!1 reviewer_added carol: requested review from @alice");
    const diffNote = index(
      "acme/platform!1 note alice: commented on src/net/proxy.ts:12: Should this read NO_PROXY as well?",
    );
    const merged = index("acme/platform!1 merged alice: merged into main");
    const closed = index("acme/platform#1 closed alice: closed via acme/platform!1");
    index("acme/platform#1 milestone_set bob: set milestone %v1.0");
    index("acme/platform#1 reference carol: commit 1a2b3c4d (acme/platform) mentioned acme/platform#1");
    expect(created1).toBeLessThan(created2);
    expect(created2).toBeLessThan(labelled);
    expect(labelled).toBeLessThan(assigned);
    expect(assigned).toBeLessThan(note);
    expect(note).toBeLessThan(mrCreated);
    expect(mrCreated).toBeLessThan(review);
    expect(closes).toBeLessThan(review);
    expect(mentions2).toBeLessThan(review);
    expect(review).toBeLessThan(diffNote);
    expect(diffNote).toBeLessThan(merged);
    expect(merged).toBeLessThan(closed);
    expect(events[created1]?.url).toBe(issue1.web_url);
    expect(events[note]?.url).toMatch(/\/acme\/platform\/-\/issues\/1#note_\d+$/);
    expect(timeline.omitted_events).toBe(0);
    expect(timeline.unresolved_references).toEqual([
      { entity_type: "commit", project: "acme/platform", iid: null, sha: "1a2b3c4d5e6f" },
    ]);
  });

  it("--depth 0 keeps the seed alone; depth 1 stops after one hop", async () => {
    const seedOnly = await data("timeline", "issue:1", "--depth", "0");
    expect(seedOnly.entities.map((e: { iid: number }) => e.iid)).toEqual([1]);
    expect(new Set(seedOnly.events.map((e: TimelineEvent) => `${e.entity_type}${e.iid}`))).toEqual(
      new Set(["issue1"]),
    );
    // The closing MR is named in the seed's own history even when not walked.
    expect(
      seedOnly.events.some((e: TimelineEvent) => e.summary === "acme/platform!1 closes acme/platform#1"),
    ).toBe(true);

    const oneHop = await data("timeline", "issue:1");
    expect(
      oneHop.entities.map((e: { entity_type: string; iid: number }) => `${e.entity_type}${e.iid}`),
    ).toEqual(["issue1", "issue2", "issue4", "merge_request1"]);
  });

  it("--no-mentions follows and shows closing references only", async () => {
    const timeline = await data("timeline", "i:1", "--depth", "2", "--no-mentions");
    expect(
      timeline.entities.map((e: { entity_type: string; iid: number; via: string | null }) => [
        `${e.entity_type}${e.iid}`,
        e.via,
      ]),
    ).toEqual([
      ["issue1", null],
      ["merge_request1", "closes"],
    ]);
    const references = timeline.events.filter((e: TimelineEvent) => e.kind === "reference");
    expect(references.map((e: TimelineEvent) => e.summary)).toEqual([
      "acme/platform!1 closes acme/platform#1",
    ]);
    expect(timeline.unresolved_references).toEqual([]);
  });

  it("--since keeps later events; -n keeps the newest and counts the rest", async () => {
    const all: TimelineEvent[] = (await data("timeline", "issue:1", "--depth", "2")).events;
    const middle = all[Math.floor(all.length / 2)] as TimelineEvent;
    const since = await data("timeline", "issue:1", "--depth", "2", "--since", middle.at);
    expect(since.events.length).toBeLessThan(all.length);
    expect(since.events.every((e: TimelineEvent) => e.at >= middle.at)).toBe(true);
    expect(since.events).toEqual(all.filter((e) => e.at >= middle.at));

    const newest = await data("timeline", "issue:1", "--depth", "2", "-n", "3");
    expect(newest.events).toEqual(all.slice(-3));
    expect(newest.omitted_events).toBe(all.length - 3);
  });

  it("takes a web URL and a merge request", async () => {
    const byUrl = await data("timeline", String(mr1.web_url), "--depth", "0");
    expect(byUrl.seeds).toEqual([{ entity_type: "merge_request", project: "acme/platform", iid: 1 }]);
    const byRef = await data("timeline", "acme/platform!1", "--depth", "0");
    expect(byRef.events).toEqual(byUrl.events);
  });

  it("seeds from a search query", async () => {
    const timeline = await data("timeline", "corporate", "--depth", "0");
    expect(timeline.query).toBe("corporate");
    expect(timeline.seeds).toEqual([{ entity_type: "issue", project: "acme/platform", iid: 1 }]);
    const nothing = await data("timeline", "zebra unicorn", "--depth", "0");
    expect(nothing.seeds).toEqual([]);
    expect(nothing.events).toEqual([]);
  });

  it("lists references the mirror does not hold", async () => {
    gl.updateIssue(project, issue4.iid as number, {
      description: "Also relevant: acme/platform#77 and acme/web!9.",
    });
    await data("sync");
    const timeline = await data("timeline", "issue:4", "--depth", "0");
    expect(timeline.unresolved_references).toEqual([
      { entity_type: "issue", project: "acme/platform", iid: 77 },
      { entity_type: "merge_request", project: "acme/web", iid: 9 },
    ]);
    const human = await runLore(["timeline", "issue:4", "--depth", "0"], { env: home.env });
    expect(human.stdout).toMatch(/^ {2}acme\/platform#77 +fetch: lore sync -p acme\/platform --issue 77$/m);
    expect(human.stdout).toMatch(/^ {2}acme\/web!9 +\(project not configured\)$/m);
  });

  it("an entity not in the mirror is NOT_IN_MIRROR with the sync that fetches it", async () => {
    const before = gl.requests.length;
    const result = await lore("timeline", "issue:404");
    expect(result.code).toBe(6);
    const error = result.json().error;
    expect(error.code).toBe("NOT_IN_MIRROR");
    expect(error.actions).toEqual(["lore sync -p acme/platform --issue 404"]);
    expect(gl.requests.length).toBe(before);
  });

  it("rejects bad arguments before opening the database", async () => {
    for (const args of [
      ["issue:0"],
      ["mr:x"],
      ["issue:1", "--depth", "-1"],
      ["issue:1", "--depth", "11"],
      ["https://elsewhere.example/a/b/-/issues/1"],
    ]) {
      const result = await lore("timeline", ...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.json().error.code).toBe("USAGE");
    }
  });

  it("prints one line per event grouped by day, always naming the project", async () => {
    const result = await runLore(["timeline", "issue:1", "--depth", "2"], { env: home.env });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe('Timeline of acme/platform#1 "Login fails behind a proxy"');
    // Through a pipe: the UTC day as the heading, each event with its full ISO time (no milliseconds).
    const day = lines.indexOf("2024-03-01");
    expect(day).toBeGreaterThan(0);
    const merged = lines.findIndex((l) =>
      /^ {2}2024-03-01T\d\d:\d\d:\d\dZ {2}acme\/platform!1 +@alice +merged into main$/.test(l),
    );
    expect(merged).toBeGreaterThan(day);
  });
});

describe("an MR created from an issue", () => {
  it("is related to it by GitLab's 'created merge request … to address this issue' note", async () => {
    const issue = gl.addIssue(project, { title: "Proxy docs for the CLI", author: gl.user("dave") });
    gl.addDiscussion(issue, [
      {
        body: `created merge request !${mr1.iid} to address this issue`,
        system: true,
        author: gl.user("carol"),
      },
    ]);
    await data("sync");
    const label = `acme/platform#${issue.iid}`;
    expect(
      has(references(), {
        owner: `#${issue.iid}`,
        source: "acme/platform!1",
        target: label,
        kind: "related",
        origin: "system_note",
        detail: "addresses",
        actor: "carol",
      }),
    ).toBe(true);
    const timeline = await data("timeline", `issue:${issue.iid}`);
    expect(
      timeline.entities.map((e: { entity_type: string; iid: number; via: string | null }) => [
        `${e.entity_type}${e.iid}`,
        e.via,
      ]),
    ).toContainEqual(["merge_request1", "related"]);
    expect(timeline.events.map(line)).toContain(
      `acme/platform!1 reference carol: acme/platform!1 was created to address ${label}`,
    );
  });
});

describe("lore notes", () => {
  const notes = async (...args: string[]) => (await data("notes", ...args)).notes as Json[];
  const bodies = (list: Json[]) => list.map((n) => n.body);

  it("lists user notes newest first by default, system notes only when asked", async () => {
    const all = await notes();
    expect(all.every((n) => n.system === false)).toBe(true);
    const created = all.map((n) => n.created_at as string);
    expect([...created].sort().reverse()).toEqual(created);
    const system = await notes("--type", "system");
    expect(system.length).toBeGreaterThan(0);
    expect(system.every((n) => n.system === true)).toBe(true);
    const everything = await notes("--type", "all", "-n", "100");
    expect(everything.length).toBe(all.length + system.length);
  });

  it("--type diffnote and discussion split user notes", async () => {
    const diff = await notes("--type", "diffnote");
    expect(bodies(diff)).toEqual(["Should this read NO_PROXY as well?"]);
    expect(diff[0]?.position).toMatchObject({ new_path: "src/net/proxy.ts", new_line: 12 });
    const discussion = await notes("--type", "discussion");
    expect(discussion.some((n) => n.type === "DiffNote")).toBe(false);
    expect(discussion.length + diff.length).toBe((await notes()).length);
  });

  it("--author, --on, --path, --contains, --unresolved and --since each narrow the list", async () => {
    expect((await notes("--author", "dave")).map((n) => n.author)).toEqual(["dave"]);
    const onMr = await notes("--on", "mr:1");
    expect(new Set(onMr.map((n) => `${n.entity_type}${n.iid}`))).toEqual(new Set(["merge_request1"]));
    expect(onMr.map((n) => n.title)).toContain("Fix login behind a proxy");
    expect(bodies(await notes("--path", "src/net/"))).toEqual(["Should this read NO_PROXY as well?"]);
    expect(await notes("--path", "docs/")).toEqual([]);
    expect(bodies(await notes("--contains", "CORPORATE"))).toEqual(["Same here, with a corporate proxy."]);
    const unresolved = await notes("--unresolved");
    expect(unresolved.length).toBeGreaterThan(0);
    expect(unresolved.every((n) => n.resolvable === true && n.resolved === false)).toBe(true);
    expect(unresolved.every((n) => n.entity_type === "merge_request")).toBe(true);
    const all = await notes();
    const cut = all[1]?.created_at as string;
    const since = await notes("--since", cut);
    expect(since.length).toBeLessThan(all.length);
    expect(since.every((n) => (n.created_at as string) >= cut)).toBe(true);
  });

  it("--asc, --sort updated and -n order and bound the list, counting the rest", async () => {
    const all = await notes();
    const ascending = await notes("--asc");
    expect(ascending).toEqual([...all].reverse());
    const byUpdate = await notes("--sort", "updated");
    const updated = byUpdate.map((n) => n.updated_at as string);
    expect([...updated].sort().reverse()).toEqual(updated);
    const two = await data("notes", "-n", "2");
    expect(two.notes).toEqual(all.slice(0, 2));
    expect(two.omitted_notes).toBe(all.length - 2);
    expect(two.notes[0].web_url).toMatch(/#note_\d+$/);
  });

  it("--path matches a DiffNote by the file's old name too, and by any prefix of it", async () => {
    gl.addDiscussion(mr1, [
      {
        body: "Renamed: keep the old import working?",
        author: gl.user("bob"),
        type: "DiffNote",
        position: {
          base_sha: "a",
          start_sha: "b",
          head_sha: "c",
          old_path: "lib/proxy-agent.js",
          new_path: "src/net/agent.ts",
          position_type: "text",
          old_line: 3,
          new_line: null,
        },
      },
    ]);
    await data("sync");
    const renamed = "Renamed: keep the old import working?";
    expect(bodies(await notes("--path", "lib/"))).toEqual([renamed]);
    expect(bodies(await notes("--path", "lib/proxy-agent.js"))).toEqual([renamed]);
    expect(bodies(await notes("--path", "src/net/", "--asc"))).toEqual([
      "Should this read NO_PROXY as well?",
      renamed,
    ]);
    expect(bodies(await notes("--path", "src/net/a"))).toEqual([renamed]);
    expect(await notes("--path", "lib/proxy-agent.jsx")).toEqual([]);
  });

  it("--on an entity not in the mirror is NOT_IN_MIRROR; a bad --type is USAGE", async () => {
    const missing = await lore("notes", "--on", "issue:999");
    expect(missing.code).toBe(6);
    expect(missing.json().error.actions).toEqual(["lore sync -p acme/platform --issue 999"]);
    const bad = await lore("notes", "--type", "comments");
    expect(bad.code).toBe(2);
  });
});

describe("references of entities stored before lore kept them", () => {
  it("are derived by the next sync, once, without requests of their own", async () => {
    const before = references();
    expect(before.length).toBeGreaterThan(5);
    // The state migration 011 leaves an existing mirror in: no references, backfill pending.
    const db = new Database(home.dbPath);
    db.exec(
      "DELETE FROM entity_references; UPDATE entity_references_backfill SET next_issue_id = 0, next_merge_request_id = 0, finished_at = NULL",
    );
    db.close();

    const pending = await lore("timeline", "issue:1");
    expect(pending.json().data.warnings.join(" ")).toContain("derived by the next `lore sync`");
    expect(pending.json().data.entities).toHaveLength(1);

    gl.clearRequests();
    const sync = await runLore(["sync", "--no-docs"], { env: home.env });
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toContain("Indexing cross-references");
    // Lists only: nothing changed on GitLab, so no entity's dependents are fetched again.
    expect(gl.requests.length).toBeGreaterThan(0);
    for (const request of gl.requests)
      expect(request.route).toMatch(/^\/projects\/[^/]+(\/issues|\/merge_requests)?$/);
    expect(references()).toEqual(before);
    const done = await lore("timeline", "issue:1");
    expect(done.json().data.warnings).toEqual([]);
    const runs = query<{ counters_json: string }>(
      home.dbPath,
      "SELECT counters_json FROM sync_runs ORDER BY id DESC LIMIT 1",
    );
    const stored = query<{ n: number }>(
      home.dbPath,
      "SELECT (SELECT COUNT(*) FROM issues) + (SELECT COUNT(*) FROM merge_requests) AS n",
    );
    expect(JSON.parse(runs[0]?.counters_json ?? "{}").references_backfilled).toBe(stored[0]?.n);
  });
});

describe("with two configured projects", () => {
  let gl2: FakeGitLab;
  let home2: TempHome;
  const run = (...args: string[]) => runLore(["--robot", ...args], { env: home2.env });

  beforeAll(async () => {
    gl2 = await startFakeGitLab({ startTime: "2024-05-01T09:00:00.000Z" });
    const platform = gl2.addProject({ path: "acme/platform" });
    const web = gl2.addProject({ path: "acme/web" });
    const alice = gl2.user("alice");
    const bob = gl2.user("bob");
    for (let i = 0; i < 3; i++) gl2.addIssue(platform, { title: `Platform issue ${i + 1}`, author: alice });
    gl2.addMergeRequest(platform, { title: "Platform MR", author: alice });
    gl2.addIssue(web, { title: "Web issue 1", author: bob });
    const forms = gl2.addIssue(web, {
      title: "Every form of reference",
      author: bob,
      description: [
        "Short: #1 and !1 (both in acme/web).",
        "Full: acme/platform#2 and acme/platform!1.",
        "Same namespace: platform#3.",
        `URL: ${gl2.url}/acme/platform/-/issues/1 and a legacy ${gl2.url}/acme/platform/merge_requests/1.`,
        "Not these: `#7`, <code>!8</code>, and",
        "~~~",
        "acme/platform#9",
        "~~~",
      ].join("\n"),
    });
    gl2.addDiscussion(forms, [{ body: "Ping acme/platform#3", author: alice }]);
    home2 = makeTempHome();
    await configureLore(home2, gl2, ["acme/platform", "acme/web"]);
    const sync = await run("sync");
    expect(sync.code, sync.stderr).toBe(0);
  });

  afterAll(async () => {
    await gl2?.close();
    home2?.cleanup();
  });

  it("stores every reference form from a description, none from code", () => {
    const rows = query<{ target: string; origin: string }>(
      home2.dbPath,
      `SELECT r.target_project || CASE r.target_type WHEN 'issue' THEN '#' ELSE '!' END || r.target_iid AS target, r.origin
       FROM entity_references r JOIN issues i ON i.id = r.owner_issue_id JOIN projects p ON p.id = i.project_id
       WHERE p.path_with_namespace = 'acme/web' AND i.iid = 2 ORDER BY r.origin, target`,
    );
    expect(rows).toEqual([
      { target: "acme/platform!1", origin: "description" },
      { target: "acme/platform#1", origin: "description" },
      { target: "acme/platform#2", origin: "description" },
      { target: "acme/platform#3", origin: "description" },
      { target: "acme/web!1", origin: "description" },
      { target: "acme/web#1", origin: "description" },
      { target: "acme/platform#3", origin: "note" },
    ]);
  });

  it("-p picks between projects; an IID in both is USAGE without it", async () => {
    const ambiguous = await run("timeline", "issue:1");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.json().error.message).toBe("#1 exists in several projects: acme/platform, acme/web");
    const web = await run("timeline", "issue:2", "-p", "web", "--depth", "1");
    expect(web.code, web.stderr).toBe(0);
    const reached = web
      .json()
      .data.entities.map(
        (e: { project: string; entity_type: string; iid: number }) =>
          `${e.project}${e.entity_type === "issue" ? "#" : "!"}${e.iid}`,
      );
    // Mentions cross projects whatever -p says: -p only names the seed.
    expect(reached).toEqual([
      "acme/web#2",
      "acme/platform#1",
      "acme/platform#2",
      "acme/platform#3",
      "acme/web#1",
      "acme/platform!1",
    ]);
    const missing = await run("timeline", "mr:5");
    expect(missing.json().error.actions).toEqual([
      "lore sync -p acme/platform --mr 5",
      "lore sync -p acme/web --mr 5",
    ]);
  });

  it("notes -p keeps one project's notes", async () => {
    const web = await run("notes", "-p", "acme/web");
    expect(web.json().data.notes.map((n: { project: string }) => n.project)).toEqual(["acme/web"]);
    const platform = await run("notes", "-p", "platform");
    expect(platform.json().data.notes).toEqual([]);
  });
});
