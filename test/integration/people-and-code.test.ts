// `lore who`, `file-history`, `trace` and `me` from the built binary, over a mirror synced from the
// fake GitLab with planted MRs, reviewers, DiffNotes, a rename chain and bots.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, makeTempHome, runLore, spawnLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore } from "../support/scenario.js";

const TOKEN = "glpat-people";
let gl: FakeGitLab;
let home: TempHome;
let project: Json;
const env = () => ({ ...home.env, GITLAB_TOKEN: TOKEN });
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: env() });
const human = (...args: string[]) => runLore(args, { env: env() });
const sync = async () => {
  const result = await lore("sync");
  if (result.code !== 0) throw new Error(`sync failed: ${result.stdout}${result.stderr}`);
};

const file = (path: string, extra: Json = {}): Json => ({
  old_path: path,
  new_path: path,
  new_file: false,
  renamed_file: false,
  deleted_file: false,
  ...extra,
});
const rename = (from: string, to: string): Json => file(to, { old_path: from, renamed_file: true });
const merged = (at: string): Json => ({ state: "merged", merged_at: at });

// Planted MRs by iid, for readable assertions. Their merge dates lie before the fake clock's start,
// so what the tests add later is newer than everything planted.
const mrs: Record<number, Json> = {};
const issues: Record<number, Json> = {};
/** The unresolved thread carol started on dave's MR !8. */
let carolThreadId = "";

beforeAll(async () => {
  gl = await startFakeGitLab({ token: TOKEN, startTime: "2024-08-01T00:00:00.000Z" });
  project = gl.addProject({ path: "group/proj" });
  const [alice, bob, carol, dave, erin] = ["alice", "bob", "carol", "dave", "erin"].map((u) => gl.user(u));
  const renovate = gl.user("renovate-bot");
  const tokenBot = gl.user("project_7_bot_0f3a");
  // A bot by GitLab's flag, not by its name.
  const helper = gl.user("helper", { bot: true });
  gl.setCurrentUser("dave");

  const mr = (iid: number, partial: Json, files: Json[]) => {
    const created = gl.addMergeRequest(project, { iid, title: `MR ${iid}`, ...partial });
    gl.setDiffs(created, files);
    mrs[iid] = created;
    return created;
  };
  const issue = (iid: number, partial: Json) => {
    const created = gl.addIssue(project, { iid, title: `Issue ${iid}`, ...partial });
    issues[iid] = created;
    return created;
  };
  const resolved = { resolved: true };

  issue(1, { title: "Timing attack on login", state: "closed", assignees: [dave] });
  issue(2, { title: "Session expiry", author: erin, assignees: [dave] });
  issue(3, { title: "Password reset", author: erin, assignees: [dave, erin] });
  issue(4, { title: "Old bug", state: "closed", assignees: [dave] });
  issue(5, { title: "Compare in constant time everywhere", author: erin });

  // The rename chain: src/old/auth.rb → src/legacy/auth.ts (!3) → src/auth/login.ts (!5).
  mr(1, { author: alice, reviewers: [carol], ...merged("2024-01-10T00:00:00Z") }, [file("src/old/auth.rb")]);
  mr(2, { author: alice, ...merged("2024-02-01T00:00:00Z") }, [file("src/old/auth.rb"), file("README.md")]);
  mr(3, { author: bob, ...merged("2024-03-01T00:00:00Z") }, [
    rename("src/old/auth.rb", "src/legacy/auth.ts"),
  ]);
  // !4 closes #1; #2 lists it among its related MRs; its description mentions #3 and an issue the
  // mirror lacks; #4's system note says !4 mentions it; #5 is the issue !4 was created from.
  const four = mr(
    4,
    {
      title: "Constant-time compare",
      description: "Same fix as #3 needs; see also group/proj#77.",
      author: bob,
      ...merged("2024-04-01T00:00:00Z"),
    },
    [file("src/legacy/auth.ts")],
  );
  gl.setCloses(four, [issues[1] as Json]);
  gl.setClosedBy(issues[1] as Json, [four]);
  gl.setRelated(issues[2] as Json, [four]);
  gl.addDiscussion(issues[4] as Json, [
    { body: "mentioned in merge request !4", system: true, author: alice },
  ]);
  gl.addDiscussion(issues[5] as Json, [
    { body: "created merge request !4 to address this issue", system: true, author: alice },
  ]);
  gl.addDiscussion(four, [
    {
      body: "Why not a constant-time compare here?",
      author: carol,
      type: "DiffNote",
      position: gl.diffPosition({ new_path: "src/legacy/auth.ts", new_line: 42 }),
      ...resolved,
    },
    {
      body: "Done.",
      author: bob,
      type: "DiffNote",
      position: gl.diffPosition({ new_path: "src/legacy/auth.ts", new_line: 42 }),
      ...resolved,
    },
  ]);
  gl.addDiscussion(
    four,
    [
      {
        body: "Typo in the comment at the bottom",
        author: carol,
        type: "DiffNote",
        position: gl.diffPosition({ new_path: "src/legacy/auth.ts", new_line: 200 }),
        ...resolved,
      },
    ],
    { individual: false },
  );
  mr(5, { author: renovate, reviewers: [tokenBot], ...merged("2024-05-01T00:00:00Z") }, [
    rename("src/legacy/auth.ts", "src/auth/login.ts"),
  ]);
  // Old name reused by a new file after the rename: not part of login.ts's history.
  mr(12, { author: erin, ...merged("2024-07-01T00:00:00Z") }, [
    file("src/legacy/auth.ts", { new_file: true }),
  ]);

  // Experts for src/auth/: an old author, a recent author, a reviewer with a DiffNote, bots.
  mr(6, { author: alice, ...merged("2024-01-05T00:00:00Z") }, [file("src/auth/session.ts")]);
  const seven = mr(7, { author: bob, reviewers: [carol, helper], ...merged("2024-06-01T00:00:00Z") }, [
    file("src/auth/login.ts"),
    file("src/auth/token.ts"),
  ]);
  gl.addDiscussion(
    seven,
    [
      {
        body: "Can this be shorter?",
        author: carol,
        created_at: "2024-05-30T00:00:00Z",
        type: "DiffNote",
        position: gl.diffPosition({ new_path: "src/auth/login.ts", new_line: 10 }),
      },
    ],
    { individual: false },
  );
  mr(13, { author: erin, ...merged("2024-02-15T00:00:00Z") }, [file("src/auth/token.ts")]);

  // Dave's plate: his open draft MR with an unresolved thread he replied to, an MR awaiting his
  // review where he started an unresolved thread and a resolved one, a merged MR of his.
  const eight = mr(8, { author: dave, draft: true, reviewers: [carol] }, [file("src/billing/invoice.ts")]);
  carolThreadId = gl.addDiscussion(eight, [
    {
      body: "Rounding is off here",
      author: carol,
      type: "DiffNote",
      position: gl.diffPosition({ new_path: "src/billing/invoice.ts", new_line: 7 }),
    },
    { body: "Will fix", author: dave },
  ]).id as string;
  const ten = mr(10, { author: erin, reviewers: [dave] }, [file("src/billing/tax.ts")]);
  gl.addDiscussion(ten, [{ body: "Needs a test", author: dave }], { individual: false });
  gl.addDiscussion(ten, [{ body: "Nit: naming", author: dave, ...resolved }], { individual: false });
  const eleven = mr(11, { author: erin, reviewers: [dave], ...merged("2024-02-10T00:00:00Z") }, [
    file("x.md"),
  ]);
  gl.addDiscussion(eleven, [{ body: "Left over", author: dave }], { individual: false });
  mr(9, { author: dave, ...merged("2024-02-20T00:00:00Z") }, [file("y.md")]);

  home = makeTempHome();
  await configureLore(home, gl);
  await sync();
});

afterAll(async () => {
  await gl.close();
  home.cleanup();
});

describe("lore who PATH", () => {
  it("ranks a recent author above an old one and leaves bots out", async () => {
    const result = await lore("who", "src/auth/");
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data).toMatchObject({ mode: "expert", path: "src/auth/", half_life_days: 180 });
    const names = data.experts.map((e: { username: string }) => e.username);
    // bob: 1 authored (June); carol: 0.5 reviewed + 0.2 DiffNote (June); erin: 1 authored
    // (February); alice: 1 authored (January) — each halving every 180 days.
    expect(names).toEqual(["bob", "carol", "erin", "alice"]);
    const bob = data.experts[0];
    expect(Object.keys(bob).sort()).toEqual(
      ["authored_mrs", "diff_notes", "last_active_at", "reviewed_mrs", "score", "username"].sort(),
    );
    expect(bob).toMatchObject({
      authored_mrs: 1,
      reviewed_mrs: 0,
      diff_notes: 0,
      last_active_at: "2024-06-01T00:00:00.000Z",
    });
    expect(data.experts[1]).toMatchObject({
      username: "carol",
      authored_mrs: 0,
      reviewed_mrs: 1,
      diff_notes: 1,
    });
    expect(data.omitted_bots).toBe(3);
  });

  it("keeps bots with --include-bots and explains scores", async () => {
    const data = (await lore("who", "src/auth/", "--include-bots", "--explain")).json().data;
    const names = data.experts.map((e: { username: string }) => e.username);
    expect(names).toEqual(expect.arrayContaining(["renovate-bot", "project_7_bot_0f3a", "helper"]));
    const carol = data.experts.find((e: { username: string }) => e.username === "carol");
    expect(
      carol.contributions.map((c: { kind: string; iid: number }) => `${c.kind}!${c.iid}`).sort(),
    ).toEqual(["diff_note!7", "reviewed!7"]);
    const total = carol.contributions.reduce((sum: number, c: { weight: number }) => sum + c.weight, 0);
    expect(total).toBeCloseTo(carol.score, 2);
  });

  it("weighs by the half-life and the --since window", async () => {
    const fast = (await lore("who", "src/auth/", "--half-life", "7")).json().data;
    expect(fast.experts.map((e: { username: string }) => e.username)[0]).toBe("bob");
    const recent = (await lore("who", "src/auth/", "--since", "2024-05-15")).json().data;
    expect(recent.experts.map((e: { username: string }) => e.username)).toEqual(["bob", "carol"]);
  });

  it("prints a table for people", async () => {
    const result = await human("who", "src/auth/login.ts");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Who knows src/auth/login.ts");
    expect(result.stdout).toMatch(/@bob\s+1\s+0\s+0\s+2024-06-01/);
    expect(result.stdout).toContain("3 bots left out (--include-bots)");
  });

  it("rejects bad questions before opening the database", async () => {
    for (const args of [
      ["who"],
      ["who", "src/", "--active"],
      ["who", "--reviews", "src/"],
      ["who", "@bob", "--explain"],
      ["who", "src/", "--half-life", "0"],
    ]) {
      const result = await lore(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.json().error.code).toBe("USAGE");
    }
  });
});

describe("lore who @user, --reviews, --active, --overlap", () => {
  it("counts exactly the open work planted for a user", async () => {
    const data = (await lore("who", "@dave")).json().data;
    expect(data.mode).toBe("workload");
    expect(data.assigned_issues.map((i: { iid: number }) => i.iid).sort()).toEqual([2, 3]);
    expect(data.authored_mrs.map((m: { iid: number }) => m.iid)).toEqual([8]);
    expect(data.authored_mrs[0]).toMatchObject({ draft: true, reviewers: ["carol"], unresolved_threads: 1 });
    expect(data.review_requests.map((m: { iid: number }) => m.iid)).toEqual([10]);
    expect(
      data.unresolved_discussions.map((d: { iid: number }) => d.iid).sort((a: number, b: number) => a - b),
    ).toEqual([8, 10]);
    expect(data.unresolved_discussions.every((d: { age_days: number }) => d.age_days > 0)).toBe(true);
    expect(data.omitted_assigned_issues).toBe(0);
  });

  it("lists exactly the unresolved resolvable threads on open items, oldest first", async () => {
    const data = (await lore("who", "--active")).json().data;
    expect(data.mode).toBe("active");
    const threads = data.discussions.map((d: { iid: number; excerpt: string }) => `!${d.iid} ${d.excerpt}`);
    expect(threads).toEqual(["!8 Rounding is off here", "!10 Needs a test"]);
    expect(data.discussions[0]).toMatchObject({
      started_by: "carol",
      participants: ["carol", "dave"],
      notes: 2,
      position: "src/billing/invoice.ts:7",
    });
    const limited = (await lore("who", "--active", "-n", "1")).json().data;
    expect(limited.discussions).toHaveLength(1);
    expect(limited.omitted_discussions).toBe(1);
  });

  it("describes review habits", async () => {
    const data = (await lore("who", "--reviews", "@carol")).json().data;
    expect(data).toMatchObject({
      mode: "reviews",
      username: "carol",
      reviewed_mrs: 4,
      notes: 4,
      diff_notes: 4,
    });
    expect(data.diff_note_share).toBe(1);
    expect(data.top_paths[0]).toEqual({ path: "src/auth/", mrs: 1 });
  });

  it("shows who else touches the files of PATH's recent MRs", async () => {
    const data = (await lore("who", "--overlap", "src/auth/login.ts")).json().data;
    expect(data.mode).toBe("overlap");
    expect(data.files.sort()).toEqual(["src/auth/login.ts", "src/auth/token.ts"]);
    const byName = Object.fromEntries(data.users.map((u: { username: string }) => [u.username, u]));
    expect(byName.bob).toMatchObject({ authored_mrs: 1, reviewed_mrs: 0 });
    expect(byName.erin).toMatchObject({ authored_mrs: 1, reviewed_mrs: 0, files: ["src/auth/token.ts"] });
    expect(byName.carol).toMatchObject({ authored_mrs: 0, reviewed_mrs: 1 });
    expect(byName["renovate-bot"]).toBeUndefined();
  });
});

describe("lore file-history", () => {
  const iids = (data: { merge_requests: { iid: number }[] }) => data.merge_requests.map((m) => m.iid);

  it("follows a two-step rename back, newest first, with each MR's path then", async () => {
    const data = (await lore("file-history", "src/auth/login.ts")).json().data;
    expect(iids(data)).toEqual([7, 5, 4, 3, 2, 1]);
    const pathThen = Object.fromEntries(
      data.merge_requests.map((m: { iid: number; path_then: string }) => [m.iid, m.path_then]),
    );
    expect(pathThen).toEqual({
      7: "src/auth/login.ts",
      5: "src/auth/login.ts",
      4: "src/legacy/auth.ts",
      3: "src/legacy/auth.ts",
      2: "src/old/auth.rb",
      1: "src/old/auth.rb",
    });
    expect(data.renames.map((r: { from: string; to: string; iid: number }) => [r.from, r.to, r.iid])).toEqual(
      [
        ["src/legacy/auth.ts", "src/auth/login.ts", 5],
        ["src/old/auth.rb", "src/legacy/auth.ts", 3],
      ],
    );
    expect(data.merge_requests[0]).toMatchObject({
      project: "group/proj",
      title: "MR 7",
      state: "merged",
      author: "bob",
      merged_at: "2024-06-01T00:00:00.000Z",
    });
  });

  it("stops at the current name with --no-follow-renames", async () => {
    const data = (await lore("file-history", "src/auth/login.ts", "--no-follow-renames")).json().data;
    expect(iids(data)).toEqual([7, 5]);
    expect(data.renames).toEqual([]);
  });

  it("adds the DiffNotes on the file with --discussions and keeps merged MRs with --merged", async () => {
    const data = (
      await lore("file-history", "src/auth/login.ts", "--discussions", "--merged", "-n", "3")
    ).json().data;
    expect(iids(data)).toEqual([7, 5, 4]);
    expect(data.omitted_merge_requests).toBe(3);
    const four = data.merge_requests[2];
    expect(four.discussions.map((n: { author: string; line: number }) => `${n.author}:${n.line}`)).toEqual([
      "carol:42",
      "bob:42",
      "carol:200",
    ]);
    expect(four.discussions[0].url).toMatch(/merge_requests\/4#note_\d+$/);
  });
});

describe("lore trace", () => {
  it("links the path to its MRs, the issue they close and the DiffNote on the line", async () => {
    const data = (await lore("trace", "src/auth/login.ts:40")).json().data;
    expect(data).toMatchObject({ path: "src/auth/login.ts", line: 40 });
    const four = data.chains.find((c: { merge_request: { iid: number } }) => c.merge_request.iid === 4);
    expect(four.merge_request.path_then).toBe("src/legacy/auth.ts");
    // Closing links first; then every issue !4 mentions, whoever's data says so, each once, with
    // the mirror's title and state; one not in the mirror by project and IID alone.
    const linked = four.issues.map(
      (i: { project: string; iid: number; via: string; title: string; state: string }) =>
        `${i.project}#${i.iid} ${i.via} ${i.title} (${i.state})`,
    );
    expect(linked[0]).toBe("group/proj#1 closes Timing attack on login (closed)");
    expect([...linked].sort()).toEqual([
      "group/proj#1 closes Timing attack on login (closed)",
      "group/proj#2 mentioned Session expiry (opened)",
      "group/proj#3 mentioned Password reset (opened)",
      "group/proj#4 mentioned Old bug (closed)",
      "group/proj#5 mentioned Compare in constant time everywhere (opened)",
      "group/proj#77 mentioned  ()",
    ]);
    expect(four.omitted_issues).toBe(0);
    expect(four.discussions).toHaveLength(1);
    expect(four.discussions[0]).toMatchObject({
      line: 42,
      started_by: "carol",
      note_count: 2,
      resolved: true,
    });
    expect(four.discussions[0].notes).toBeUndefined();
    const seven = data.chains.find((c: { merge_request: { iid: number } }) => c.merge_request.iid === 7);
    expect(seven.discussions).toEqual([]);
  });

  it("gives every thread on the file without a line, and full notes with --discussions", async () => {
    const data = (await lore("trace", "src/auth/login.ts", "--discussions")).json().data;
    const four = data.chains.find((c: { merge_request: { iid: number } }) => c.merge_request.iid === 4);
    expect(four.discussions.map((t: { line: number }) => t.line)).toEqual([200, 42]);
    expect(four.discussions[1].notes.map((n: { body: string }) => n.body)).toEqual([
      "Why not a constant-time compare here?",
      "Done.",
    ]);
  });

  it("prints the chain for people", async () => {
    const result = await human("trace", "src/auth/login.ts:42");
    expect(result.code).toBe(0);
    // Aligned rows: the MR (with the file's name then), the issue it closes, the thread on the line
    // (on the file the MR changed, so by its line alone).
    expect(result.stdout).toMatch(
      /^group\/proj!4 +Constant-time compare \(as src\/legacy\/auth\.ts\) +@bob +merged +2024-04-01T00:00:00Z$/m,
    );
    expect(result.stdout).toMatch(/^ {2}closes +group\/proj#1 +Timing attack on login +closed$/m);
    expect(result.stdout).toMatch(
      /^ {2}mentions +group\/proj#77 +not in the mirror: lore sync -p group\/proj --issue 77$/m,
    );
    expect(result.stdout).toMatch(
      /^ {2}line 42 +@carol +Why not a constant-time compare here\? +2 notes +\S+ +resolved$/m,
    );
  });

  it("rejects a line on a directory", async () => {
    const result = await lore("trace", "src/auth/:3");
    expect(result.code).toBe(2);
  });
});

describe("lore me", () => {
  it("needs a user until doctor records the token's", async () => {
    const before = await lore("me");
    expect(before.code).toBe(3);
    expect(before.json().error.actions).toContain("lore doctor");
    const doctor = await lore("doctor");
    expect(doctor.code).toBe(0);
    expect(doctor.json().data.checks).toContainEqual(
      expect.objectContaining({ name: "me", detail: "recorded gitlab.username = dave for lore me" }),
    );
  });

  it("sets a baseline, then shows a new mention and reply once", async () => {
    const first = await lore("me");
    expect(first.code).toBe(0);
    const data = first.json().data;
    expect(data).toMatchObject({ username: "dave", baseline: true, since: null, inbox: [] });
    expect(data.assigned_issues.map((i: { iid: number }) => i.iid).sort()).toEqual([2, 3]);
    expect(data.authored_mrs.map((m: { iid: number }) => m.iid)).toEqual([8]);
    expect(data.review_requests.map((m: { iid: number }) => m.iid)).toEqual([10]);
    expect((await human("me")).stdout).toContain("Since ");

    const erin = gl.user("erin");
    gl.addDiscussion(issues[3] as Json, [{ body: "@dave can you look at this?", author: erin }]);
    // A name in code is not a mention (and the issue is not dave's).
    const other = gl.addIssue(project, { title: "Unrelated", author: erin });
    gl.addDiscussion(other, [{ body: "run `@dave` in the shell", author: erin }]);
    gl.addNote(mrs[8] as Json, carolThreadId, { body: "Still off by one", author: gl.user("carol") });
    await sync();

    const second = (await lore("me")).json().data;
    expect(second.baseline).toBe(false);
    expect(second.since).toEqual(expect.any(String));
    expect(
      second.inbox
        .map(
          (i: { kind: string; entity_type: string; iid: number; author: string }) =>
            `${i.kind} ${i.entity_type} ${i.iid} @${i.author}`,
        )
        .sort(),
    ).toEqual(["mention issue 3 @erin", "reply merge_request 8 @carol"]);
    expect(second.inbox[0].url).toMatch(/#note_\d+$/);

    const third = (await lore("me")).json().data;
    expect(third.inbox).toEqual([]);
  });

  it("does not advance the cursor when the output could not be written", async () => {
    gl.addDiscussion(issues[2] as Json, [{ body: "ping @dave", author: gl.user("erin") }]);
    await sync();
    const child = spawnLore(["--robot", "me"], { env: env() });
    child.stdout?.destroy();
    await collect(child);
    const again = (await lore("me")).json().data;
    expect(again.inbox.map((i: { excerpt: string }) => i.excerpt)).toEqual(["ping @dave"]);
  });

  it("--since shows a window by date without moving the cursor; --user names someone else", async () => {
    gl.addDiscussion(issues[2] as Json, [{ body: "another ping @dave", author: gl.user("erin") }]);
    await sync();
    const window = (await lore("me", "--since", "2000-01-01")).json().data;
    expect(window.inbox.length).toBeGreaterThanOrEqual(3);
    const news = (await lore("me")).json().data;
    expect(news.inbox.map((i: { excerpt: string }) => i.excerpt)).toEqual(["another ping @dave"]);
    const erin = (await lore("me", "--user", "erin")).json().data;
    expect(erin).toMatchObject({ username: "erin", baseline: true });
    expect(erin.review_requests).toEqual([]);
  });

  it("--reset-cursor starts a new baseline", async () => {
    const reset = (await lore("me", "--reset-cursor")).json().data;
    expect(reset).toMatchObject({ baseline: true, inbox: [] });
    const printed = await human("me", "--reset-cursor");
    expect(printed.stdout).toContain("Since you last looked: this look is the baseline");
    expect(printed.stdout).toMatch(
      /Waiting for your review \(1\)\n {2}MR +TITLE +AUTHOR +REVIEWERS +UNRESOLVED +OPENED\n {2}group\/proj!10 +MR 10 +@erin +@dave +1 thread /,
    );
  });
});
