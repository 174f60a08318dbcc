// Human output as a person sees it: in a pseudo-terminal (relative times, columns fitted to the
// width, Markdown rendered, the pager) and through a pipe (ISO times to the second, nothing cut, no
// pager) — for lists and views, and for the questions over the mirror (who, timeline, notes,
// file-history, trace, me, search, related, config, project); lore status as tables; sync progress
// whose last lines agree with the summary.

import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/format/text-width.js";
import {
  collect,
  makeTempHome,
  runLore,
  runLoreInTerminal,
  spawnLoreInTerminal,
  stripAnsi,
  type TempHome,
} from "../support/cli.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { ISSUE_ROW_KEYS } from "../support/pinned-rows.js";
import { configureLore } from "../support/scenario.js";

const DAY = 86_400_000;
const LONG_TITLE =
  "漢字のタイトル 👍🏽 and a title far longer than any narrow terminal could ever show on one line";
const ISO_SECONDS = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\b/;

let gl: FakeGitLab;
let home: TempHome;
let project: Json;
const env = () => home.env;

beforeAll(async () => {
  // Times a few days back from now, so a terminal shows "N days ago".
  gl = await startFakeGitLab({ startTime: Date.now() - 10 * DAY, autoTickMs: 60_000 });
  project = gl.addProject({ path: "group/proj" });
  const alice = gl.user("alice");
  const issue = gl.addIssue(project, {
    title: LONG_TITLE,
    description: "# Steps\n\nRun **lore sync** twice:\n\n- first\n- second\n",
    labels: ["bug"],
    author: alice,
  });
  gl.addDiscussion(issue, [{ body: "Seen it *too*", author: alice }]);
  gl.addIssue(project, { title: "Second issue", author: alice });
  gl.addMergeRequest(project, {
    title: "Fix it",
    author: alice,
    source_branch: "fix",
    target_branch: "main",
  });
  gl.tick(3 * DAY);
  home = makeTempHome();
  await configureLore(home, gl);
  const sync = await runLore(["--robot", "sync"], { env: env() });
  expect(sync.code, sync.stdout).toBe(0);
}, 60_000);

afterAll(async () => {
  home.cleanup();
  await gl.close();
});

/** A pager that records what it was given (in `at`'s home, with its environment). */
function recordingPager(at: TempHome = home): { env: Record<string, string>; record: string } {
  const record = join(at.dir, "pager.txt");
  rmSync(record, { force: true });
  const script = join(at.dir, "pager.sh");
  writeFileSync(script, `#!/bin/sh\ncat > '${record}'\n`);
  chmodSync(script, 0o755);
  return { env: { ...at.env, PAGER: script }, record };
}

describe("lists", () => {
  it("on a terminal: a count line, relative times, and columns cut to the width", async () => {
    const result = await runLoreInTerminal(["issues", "--no-pager"], { env: env(), columns: 60 });
    expect(result.code).toBe(0);
    const lines = stripAnsi(result.stdout).trimEnd().split("\n");
    expect(lines[0]).toBe("Showing 2 of 2 open issues in group/proj");
    expect(lines[2]).toMatch(/^ID\s+TITLE\s+LABELS\s+AUTHOR\s+UPDATED$/);
    expect(result.stdout).toMatch(/\d+ days ago/);
    expect(result.stdout).not.toMatch(ISO_SECONDS);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(result.stdout).toContain("漢字のタイトル 👍🏽");
    expect(result.stdout).toContain("…");
  });

  it("through a pipe: ISO times to the second, nothing cut, no pager", async () => {
    const pager = recordingPager();
    const result = await runLore(["issues"], { env: pager.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(LONG_TITLE);
    expect(result.stdout).toMatch(ISO_SECONDS);
    expect(result.stdout).not.toMatch(/\.\d{3}Z/);
    expect(result.stdout).not.toContain("ago");
    expect(existsSync(pager.record)).toBe(false);
  });

  it("on a terminal, long output goes through $PAGER unless --no-pager", async () => {
    const pager = recordingPager();
    const paged = await runLoreInTerminal(["mrs"], { env: pager.env });
    expect(paged.code).toBe(0);
    const recorded = readFileSync(pager.record, "utf8");
    expect(recorded).toContain("Showing 1 of 1 open merge request in group/proj");
    expect(recorded).toContain("fix → main");
    expect(paged.stdout).not.toContain("fix → main");

    rmSync(pager.record);
    const direct = await runLoreInTerminal(["mrs", "--no-pager"], { env: pager.env });
    expect(direct.stdout).toContain("fix → main");
    expect(existsSync(pager.record)).toBe(false);
  });

  it("robot output is unchanged by a terminal", async () => {
    const robot = await runLoreInTerminal(["--robot", "issues"], { env: env() });
    const data = JSON.parse(robot.stdout).data;
    expect(Object.keys(data.issues[0]).sort()).toEqual(ISSUE_ROW_KEYS);
    expect(data.issues[0].updated_at).toMatch(/\.\d{3}Z$/);
  });
});

describe("one issue", () => {
  it("renders its Markdown on a terminal, through the pager", async () => {
    const pager = recordingPager();
    const result = await runLoreInTerminal(["issues", "1"], { env: pager.env });
    expect(result.code).toBe(0);
    const text = readFileSync(pager.record, "utf8");
    expect(text).toContain("\nSteps\n");
    expect(text).not.toContain("# Steps");
    expect(text).toContain("Run lore sync twice:");
    expect(text).toContain("• first");
    expect(text).toContain("Discussions (1 thread)");
    expect(text).toContain("Seen it too");
    expect(text).toMatch(/opened by @alice \d+ days ago/);
  });

  it("prints the Markdown source and ISO times through a pipe", async () => {
    const result = await runLore(["issues", "1"], { env: env() });
    expect(result.stdout).toContain("# Steps");
    expect(result.stdout).toContain("- first");
    expect(result.stdout).toMatch(new RegExp(`opened by @alice ${ISO_SECONDS.source}`));
    expect(result.stdout).not.toMatch(/\.\d{3}Z/);
  });
});

describe("lore status", () => {
  it("is a table per project and a run history", async () => {
    const result = await runLoreInTerminal(["status"], { env: env(), columns: 120 });
    const text = stripAnsi(result.stdout);
    expect(text).toMatch(
      /PROJECT\s+ISSUES\s+MRS\s+DISCUSSIONS\s+NOTES\s+DOCUMENTS\s+PENDING\s+EMBEDDED\s+LAST SYNC/,
    );
    expect(text).toMatch(/group\/proj\s+2\s+1\s+/);
    expect(text).toMatch(/RUN\s+STARTED\s+MODE\s+STATUS\s+TOOK\s+DETAIL/);
    expect(text).toMatch(
      /#1\s+(just now|\d+ minutes? ago)\s+incremental\s+succeeded\s+[\d.]+s\s+2 issues, 1 merge request/,
    );
    const piped = await runLore(["status"], { env: env() });
    expect(piped.stdout).toMatch(ISO_SECONDS);
  });
});

describe("questions over the mirror", () => {
  const HOUR = 3_600_000;
  // Noon yesterday and a moment earlier today (UTC): "Yesterday" and "Today" whenever the test runs.
  const startOfToday = Math.floor(Date.now() / DAY) * DAY;
  const yesterdayNoon = startOfToday - 12 * HOUR;
  const earlierToday = startOfToday + Math.floor((Date.now() - startOfToday) / 2);
  const RELATIVE = /\b(\d+ (minute|hour|day)s? ago|just now)\b/;
  /** Yesterday noon, seen from now: hours ago before noon, a day ago after it. */
  const SINCE_YESTERDAY_NOON = String.raw`(?:\d+ hours?|1 day) ago`;
  let qgl: FakeGitLab;
  let qhome: TempHome;
  /** The day headings are calendar days in the terminal's time zone: pin it. */
  const qenv = (zone = "UTC") => ({ ...qhome.env, TZ: zone });
  const terminal = (args: string[], columns = 100, zone = "UTC") =>
    runLoreInTerminal([...args, "--no-pager"], { env: qenv(zone), columns });

  beforeAll(async () => {
    qgl = await startFakeGitLab({ startTime: yesterdayNoon, autoTickMs: 1000 });
    const app = qgl.addProject({ path: "team/app" });
    const [alice, bob, carol] = ["alice", "bob", "carol"].map((u) => qgl.user(u));
    const issue = qgl.addIssue(app, { title: "Checkout fails on Safari", author: alice });
    const fix = qgl.addMergeRequest(app, {
      title: "Fix the Safari checkout",
      author: bob,
      reviewers: [carol],
      source_branch: "safari",
      target_branch: "main",
    });
    qgl.setDiffs(fix, [{ old_path: "src/checkout/pay.ts", new_path: "src/checkout/pay.ts" }]);
    qgl.setCloses(fix, [issue]);
    qgl.setClosedBy(issue, [fix]);
    qgl.addDiscussion(
      fix,
      [
        {
          body: "**Why** not use `fetch` here?\n\n- one\n- two",
          author: carol,
          type: "DiffNote",
          position: qgl.diffPosition({ new_path: "src/checkout/pay.ts", new_line: 12 }),
        },
      ],
      { individual: false },
    );
    qgl.updateMergeRequest(app, 1, { state: "merged", merged_at: qgl.nowIso() });
    qgl.addEvent(fix, "state", { state: "merged", user: bob });
    const next = qgl.addMergeRequest(app, { title: "Add Apple Pay", author: alice, reviewers: [carol] });
    qgl.setDiffs(next, [{ old_path: "src/checkout/apple.ts", new_path: "src/checkout/apple.ts" }]);
    qgl.tick(earlierToday - qgl.tick(0));
    qgl.addDiscussion(issue, [{ body: "Fixed by !1, see the *release notes*.", author: bob }]);
    qhome = makeTempHome();
    await configureLore(qhome, qgl, ["team/app"]);
    const sync = await runLore(["--robot", "sync"], { env: qhome.env });
    expect(sync.code, sync.stdout).toBe(0);
  }, 60_000);

  afterAll(async () => {
    qhome.cleanup();
    await qgl.close();
  });

  it("on a terminal: relative times, day headings and rendered Markdown, through $PAGER", async () => {
    const expectations: [string[], RegExp[]][] = [
      [
        ["who", "src/checkout/"],
        [new RegExp(String.raw`^ *\d\.\d{3} {2}@bob +1 +0 +0 +${SINCE_YESTERDAY_NOON}$`, "m")],
      ],
      [
        ["timeline", "issue:1"],
        [
          /^Yesterday\n {2}\d\d:\d\d {2}team\/app#1 +@alice +created issue/m,
          /^Today\n(?: {2}.*\n)* {2}\d\d:\d\d {2}team\/app#1 +@bob +commented: Fixed by !1/m,
        ],
      ],
      [["notes"], [/^Showing 2 of 2 notes$/m, /^ {2}Why not use fetch here\?$/m, /^ {2}• one$/m, RELATIVE]],
      [
        ["file-history", "src/checkout/pay.ts", "--discussions"],
        [
          new RegExp(`^team/app!1 +Fix the Safari checkout +@bob +merged +${SINCE_YESTERDAY_NOON}$`, "m"),
          /^ {4}line 12 +@carol +\*\*Why\*\* not use/m,
        ],
      ],
    ];
    for (const [args, patterns] of expectations) {
      const pager = recordingPager(qhome);
      const result = await runLoreInTerminal(args, { env: { ...pager.env, TZ: "UTC" } });
      expect(result.code, args.join(" ")).toBe(0);
      const paged = stripAnsi(readFileSync(pager.record, "utf8"));
      for (const pattern of patterns) expect(paged, args.join(" ")).toMatch(pattern);
      expect(paged, args.join(" ")).not.toMatch(ISO_SECONDS);
      // What went through the pager did not also reach the terminal.
      expect(stripAnsi(result.stdout)).not.toContain(paged.split("\n")[0]);
    }
  });

  it("through a pipe: ISO times to the second, UTC days, Markdown source, no pager", async () => {
    const expectations: [string[], RegExp[]][] = [
      [["who", "src/checkout/"], [/^ *\d\.\d{3} {2}@bob +1 +0 +0 +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m]],
      [
        ["timeline", "issue:1"],
        [/^\d{4}-\d\d-\d\d\n {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}team\/app#1 +@alice +created issue/m],
      ],
      [["notes"], [/^ {2}\*\*Why\*\* not use `fetch` here\?$/m, /^ {2}- one$/m, ISO_SECONDS]],
      [
        ["file-history", "src/checkout/pay.ts", "--discussions"],
        [/ +merged +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m],
      ],
    ];
    for (const [args, patterns] of expectations) {
      const pager = recordingPager(qhome);
      const result = await runLore(args, { env: pager.env });
      expect(result.code, args.join(" ")).toBe(0);
      for (const pattern of patterns) expect(result.stdout, args.join(" ")).toMatch(pattern);
      expect(result.stdout).not.toMatch(/\d\.\d{3}Z/);
      expect(result.stdout).not.toMatch(/\bago\b|^Today$|^Yesterday$/m);
      expect(result.stdout).not.toContain("\u001b[");
      expect(existsSync(pager.record), args.join(" ")).toBe(false);
    }
  });

  it("the other lists: relative times on a terminal, ISO times through a pipe", async () => {
    for (const args of [
      ["me", "--user", "carol"],
      ["trace", "src/checkout/pay.ts"],
      ["search", "safari"],
      ["project", "list"],
    ]) {
      const shown = await terminal(args);
      expect(shown.code, args.join(" ")).toBe(0);
      expect(stripAnsi(shown.stdout), args.join(" ")).toMatch(RELATIVE);
      expect(shown.stdout, args.join(" ")).not.toMatch(ISO_SECONDS);
      const piped = await runLore(args, { env: qhome.env });
      expect(piped.stdout, args.join(" ")).toMatch(ISO_SECONDS);
      expect(piped.stdout, args.join(" ")).not.toMatch(/\bago\b|\d\.\d{3}Z/);
    }
  });

  it("fits the columns to a narrow terminal, cutting titles and summaries with …", async () => {
    for (const args of [["timeline", "issue:1"], ["who", "@carol"], ["notes"]]) {
      const result = await terminal(args, 50);
      expect(result.code, args.join(" ")).toBe(0);
      // URLs are never cut (a cut URL cannot be opened): the terminal wraps them.
      const lines = stripAnsi(result.stdout)
        .trimEnd()
        .split("\n")
        .filter((line) => !/^ *http:\/\/\S+$/.test(line));
      for (const line of lines)
        expect(displayWidth(line), `${args.join(" ")}: ${line}`).toBeLessThanOrEqual(50);
      expect(result.stdout, args.join(" ")).toContain("…");
    }
    const timeline = stripAnsi((await terminal(["timeline", "issue:1"], 50)).stdout);
    // The entity keeps its project even when the summary is cut.
    expect(timeline).toMatch(/^ {2}\d\d:\d\d {2}team\/app!1 +@bob +\S.*…$/m);
  });

  it("shows times of day in the local time zone on a terminal", async () => {
    const robot = await runLore(["--robot", "timeline", "issue:1"], { env: qhome.env });
    const created = robot
      .json()
      .data.events.find(
        (e: { kind: string; entity_type: string }) =>
          e.kind === "created" && e.entity_type === "merge_request",
      );
    const tokyo = new Date(Date.parse(created.at) + 9 * HOUR).toISOString().slice(11, 16);
    const result = await terminal(["timeline", "issue:1"], 100, "Asia/Tokyo");
    expect(stripAnsi(result.stdout)).toMatch(
      new RegExp(`^ {2}${tokyo} {2}team/app!1 +@bob +created merge request`, "m"),
    );
  });

  it("gets plurals right", async () => {
    const one = await runLore(["notes", "--author", "carol"], { env: qhome.env });
    expect(one.stdout).toMatch(/^Showing 1 of 1 note$/m);
    const trace = await runLore(["trace", "src/checkout/pay.ts"], { env: qhome.env });
    expect(trace.stdout).toMatch(/^Showing 1 of 1 merge request$/m);
    expect(trace.stdout).toMatch(/^ {2}line 12 +@carol +.* +1 note +/m);
    const who = await runLore(["who", "@carol"], { env: qhome.env });
    expect(who.stdout).toContain("Waiting for their review (1)");
  });
});

describe("surgical sync", () => {
  it("aligns the entities and gets the plurals right", async () => {
    const result = await runLore(["sync", "--issue", "1", "--mr", "1"], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/REF\s+OUTCOME\s+TITLE\s+UPDATED/);
    expect(result.stdout).toMatch(/#1\s+ingested \(unchanged\)\s+漢字/);
    expect(result.stdout).toMatch(/!1\s+ingested \(unchanged\)\s+Fix it/);
    expect(result.stdout).toContain("2 entities were unchanged");
    expect(result.stdout).toMatch(/1 discussion, 0 notes written/);
  });
});

describe("sync progress", () => {
  let big: Json;
  beforeAll(async () => {
    big = gl.addProject({ path: "group/big" });
    for (let i = 0; i < 130; i++) gl.addIssue(big, { title: `Issue ${i}` });
    for (let i = 0; i < 4; i++) gl.addMergeRequest(big, { title: `MR ${i}` });
    await configureLore(home, gl, ["group/proj", "group/big"]);
  });
  beforeEach(() => {
    gl.clearRequests();
    gl.clearFaults();
  });

  /**
   * Holds the walk's later issue pages until the count requests it expects have arrived: lore drops
   * counts still unsent when a walk ends, and a fast walk must not make the test depend on timing.
   */
  const holdWalkFor = (expected: readonly string[]): (() => void) => {
    const seen = new Set<string>();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let pages = 0;
    return gl.onRequest(async (r) => {
      const key = `${r.route}${r.query.get("per_page") === "1" ? "?per_page=1" : ""}`;
      seen.add(key);
      if (expected.every((e) => seen.has(e))) release();
      else if (r.route === `/projects/${big.id}/issues` && r.query.get("per_page") !== "1" && ++pages > 1) {
        await released;
      }
    });
  };

  it("asks GitLab for totals on a long walk, and the last lines agree with the summary", async () => {
    const stop = holdWalkFor([
      `/projects/${big.id}/issues_statistics`,
      `/projects/${big.id}/merge_requests?per_page=1`,
    ]);
    const result = await runLoreInTerminal(["sync", "-p", "group/big"], {
      env: { ...env(), GITLAB_TOKEN: "glpat-test" },
      columns: 200,
    });
    stop();
    expect(result.code).toBe(0);
    const routes = gl.requests.map(
      (r) => `${r.route}${r.query.get("per_page") === "1" ? "?per_page=1" : ""}`,
    );
    expect(routes).toContain(`/projects/${big.id}/issues_statistics`);
    expect(routes).toContain(`/projects/${big.id}/merge_requests?per_page=1`);
    const text = stripAnsi(result.stdout);
    expect(text).toContain("✓ group/big 130 issues, 4 merge requests listed · 134 stored");
    expect(text).toMatch(/group\/big\s+130\s+4\s+134\s/);
    expect(text).toMatch(/✓ Regenerating documents (\d+) documents regenerated/);
    const regenerated = /✓ Regenerating documents (\d+) documents regenerated/.exec(text)?.[1];
    expect(text).toContain(`${regenerated} documents regenerated, 0 embedded`);
  });

  it("an unchanged project still costs three requests, even on a terminal", async () => {
    await runLore(["--robot", "sync", "-p", "group/big"], { env: env() });
    gl.clearRequests();
    const result = await runLoreInTerminal(["sync", "-p", "group/big"], { env: env() });
    expect(result.code).toBe(0);
    // The project, then one page of each list (the overlap window's unchanged rows, under a page).
    expect(gl.requests.map((r) => r.route).sort()).toEqual(
      ["/projects/group%2Fbig", `/projects/${big.id}/issues`, `/projects/${big.id}/merge_requests`].sort(),
    );
    expect(gl.requests).toHaveLength(3);
  });

  it("never asks for totals in robot mode, and keeps piped stderr free of redraws", async () => {
    await runLore(["--robot", "sync", "-p", "group/big", "--full"], { env: env() });
    expect(gl.requests.some((r) => r.route.endsWith("/issues_statistics"))).toBe(false);
    expect(gl.requests.some((r) => r.query.get("per_page") === "1")).toBe(false);
    const piped = await runLore(["sync", "-p", "group/big", "--full"], { env: env() });
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain("\r");
    expect(piped.stderr).toContain("group/big: 130 issues, 4 merge requests listed · 0 stored");
    const verbose = await runLore(["--robot", "-v", "sync", "-p", "group/big", "--full"], { env: env() });
    expect(verbose.stderr).not.toContain("\r");
  });

  it("without a token, counts issues from the list's x-total (issues_statistics needs one)", async () => {
    const stop = holdWalkFor([
      `/projects/${big.id}/issues?per_page=1`,
      `/projects/${big.id}/merge_requests?per_page=1`,
    ]);
    const result = await runLoreInTerminal(["sync", "-p", "group/big", "--full"], { env: env() });
    stop();
    expect(result.code, result.stdout).toBe(0);
    const statistics = gl.requests.filter((r) => r.route.endsWith("/issues_statistics"));
    expect(statistics).toHaveLength(1);
    expect(
      gl.requests.some((r) => r.route === `/projects/${big.id}/issues` && r.query.get("per_page") === "1"),
    ).toBe(true);
  });

  it("keeps a slow first page visible, with the time it has taken so far", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stop = gl.onRequest(async (r) => {
      if (r.route === `/projects/${big.id}/issues` || r.route === `/projects/${big.id}/merge_requests`) {
        await released;
      }
    });
    const child = spawnLoreInTerminal(["sync", "-p", "group/big"], { env: env() });
    let seen = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      seen += d;
      // The spinner line, still waiting, shows the phase's elapsed time once a second has passed.
      if (/group\/big waiting for the first page · \d+\.\ds/.test(stripAnsi(seen))) release();
    });
    const result = await collect(child, { timeoutMs: 30_000 });
    stop();
    expect(result.code).toBe(0);
    expect(stripAnsi(seen)).toMatch(/group\/big waiting for the first page · 1\.\ds/);
  });

  it("prints retries at -v", async () => {
    gl.fault({ path: `/projects/${big.id}/merge_requests`, status: 503, times: 1 });
    const quiet = await runLore(["sync", "-p", "group/big"], { env: env() });
    expect(quiet.stderr).not.toContain("retrying");
    gl.fault({ path: `/projects/${big.id}/merge_requests`, status: 503, times: 1 });
    const verbose = await runLore(["sync", "-p", "group/big", "-v"], { env: env() });
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(
      /retrying in [\d.]+s: 503 on GET \/projects\/:id\/merge_requests \(retry 1 of \d\)/,
    );
  });
});
