// Agent interface benchmark.
// 1. "State of issue N right now": `lore --robot issues N --max-age 0` against the fake GitLab at
//    50 ms per request (target: ≤ 3 round trips after start-up), beside python-gitlab-style
//    sequential fetching of the same data in the same run — the issue, its discussions, its three
//    kinds of resource events, related and closing MRs, one request after another.
// 2. `lore mcp` over stdio on the 100,000-issue search mirror: p50/p95 latency of get_issue and
//    search calls (target p50 ≤ 20 ms; no process start per call), beside spawning
//    `lore --robot issues N` per question.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { openDatabase } from "../src/db/open.js";
import { regenerateDirtyDocuments } from "../src/documents/regenerate.js";
import { lexicalSearch } from "../src/search/lexical.js";
import { type FakeGitLab, startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";
import {
  LORE,
  lore,
  median,
  must,
  percentile,
  QUICK,
  syncedHome,
  table,
  tempHome,
  verdict,
} from "./harness.js";
import { populate } from "./search.js";

const RTT = 50;

/** What python-gitlab does for the same answer: one request after another, following pages. */
async function sequentialFetch(gl: FakeGitLab, projectId: number, iid: number): Promise<number> {
  const base = `${gl.apiUrl}/projects/${projectId}/issues/${iid}`;
  const paths = [
    "",
    "/discussions",
    "/resource_state_events",
    "/resource_label_events",
    "/resource_milestone_events",
    "/related_merge_requests",
    "/closed_by",
  ];
  let requests = 0;
  for (const path of paths) {
    let url: string | undefined = `${base}${path}${path ? "?per_page=20" : ""}`;
    while (url) {
      const response: Response = await fetch(url);
      requests += 1;
      await response.json();
      const next = response.headers.get("x-next-page");
      url = next ? `${base}${path}?per_page=20&page=${next}` : undefined;
    }
  }
  return requests;
}

export async function benchRightNow(): Promise<void> {
  const repeats = QUICK ? 5 : 11;
  const gl = await startFakeGitLab();
  const data = generate(gl, { issues: 200, mrs: 80, notes: 2_000, seed: 9 });
  const home = tempHome();
  try {
    const { startupMs } = await syncedHome(gl.url, home);
    gl.latencyMs = RTT;
    const iid = 42;
    const projectId = data.project.id as number;

    // Round trips are read off the fake server's clock: from the first request's arrival to the
    // last one's, plus the last one's own latency. Wall time on a loaded machine swings by more
    // than a round trip, so it is shown beside, with lore's start-up, not used for the count.
    const walls: number[] = [];
    const spans: number[] = [];
    let loreRequests = 0;
    const baselines: number[] = [];
    let baselineRequests = 0;
    for (let i = 0; i < repeats; i++) {
      // Changed on GitLab since the last look, so each run really fetches and writes.
      gl.updateIssue(data.project, iid, { description: `Edited ${gl.nowIso()}` });
      gl.clearRequests();
      const arrivals: number[] = [];
      const stop = gl.onRequest(() => {
        arrivals.push(performance.now());
      });
      const run = await must(lore(["--robot", "issues", String(iid), "--max-age", "0"], home.env), "issues");
      stop();
      if (run.json<{ data: { refreshed: boolean } }>().data.refreshed !== true) throw new Error("no refresh");
      walls.push(run.ms);
      spans.push((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0) + RTT);
      loreRequests = gl.requests.length;
      const started = performance.now();
      baselineRequests = await sequentialFetch(gl, projectId, iid);
      baselines.push(performance.now() - started);
    }
    const loreMs = median(walls);
    const network = median(spans);
    const baselineMs = median(baselines);
    console.log(`\n## "State of issue ${iid} right now" (fake GitLab, ${RTT} ms per request)\n`);
    console.log(
      `Project: ${data.issues.length} issues, ${data.mrs.length} MRs, synced beforehand; the issue is edited on GitLab before each run. Median of ${repeats}. Network: first request's arrival to last response, on the fake server's clock.\n`,
    );
    console.log(
      table(
        ["how", "wall ms", "requests", "network ms", "round trips", "wall − start-up ms"],
        [
          [
            `lore --robot issues ${iid} --max-age 0`,
            Math.round(loreMs),
            loreRequests,
            Math.round(network),
            (network / RTT).toFixed(1),
            Math.round(loreMs - startupMs),
          ],
          [
            "sequential fetching (python-gitlab style), in-process",
            Math.round(baselineMs),
            baselineRequests,
            Math.round(baselineMs),
            (baselineMs / RTT).toFixed(1),
            "(no start-up)",
          ],
        ],
      ),
    );
    console.log(`\nCLI start-up (lore --version, median of 5): ${Math.round(startupMs)} ms.`);
    console.log(
      `${verdict(network <= 3 * RTT)}  lore issues N --max-age 0: ${(network / RTT).toFixed(1)} round trips (target ≤ 3 round trips + start-up); ${Math.round(loreMs - startupMs)} ms of wall time after start-up (database opens, surgical sync, documents, read); sequential fetching: ${(baselineMs / RTT).toFixed(1)} round trips.`,
    );
  } finally {
    home.cleanup();
    await gl.close();
  }
}

const QUERIES = [
  "login timeout",
  "database migration",
  "memory leak",
  "flaky test",
  "webhook staging",
  "dark mode",
];

export async function benchMcp(): Promise<void> {
  const entities = QUICK ? 10_000 : 100_000;
  const notes = QUICK ? 100_000 : 1_000_000;
  const calls = QUICK ? 100 : 300;
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-mcp-"));
  const dbPath = join(dir, "lore.db");
  const home = tempHome();
  let client: Client | undefined;
  try {
    const db = openDatabase(dbPath);
    const buildStarted = performance.now();
    populate(db, entities, notes);
    await regenerateDirtyDocuments(db);
    // What the same searches cost in-process, without the server: the part of a search call that
    // is the query itself.
    const inProcess: number[] = [];
    for (let i = 0; i < 10 + calls; i++) {
      const started = performance.now();
      lexicalSearch(db, QUERIES[i % QUERIES.length] as string, {}, 20);
      if (i >= 10) inProcess.push(performance.now() - started);
    }
    inProcess.sort((a, b) => a - b);
    db.close();
    const buildS = (performance.now() - buildStarted) / 1000;
    const configDir = join(home.dir, ".config", "lore");
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, "config.json"),
      JSON.stringify({
        gitlab: { baseUrl: "http://127.0.0.1:9" },
        projects: [{ path: "group/proj" }],
        storage: { dbPath },
        embedding: { provider: "none" },
      }),
      { mode: 0o600 },
    );
    // Issues are the entities whose index is not 4 mod 5 (see populate): IIDs 1, 2, 3, 4, 6, …
    const issueIids = Array.from({ length: calls }, (_, i) => {
      const n = 1 + Math.floor(((i * 7919) % entities) / 5) * 5;
      return n;
    });

    const transport = new StdioClientTransport({
      command: LORE,
      args: ["mcp"],
      env: home.env,
      stderr: "ignore",
    });
    client = new Client({ name: "lore-bench", version: "1.0.0" });
    const connectStarted = performance.now();
    await client.connect(transport);
    const connectMs = performance.now() - connectStarted;
    const mcp = client;
    const timed = async (name: string, args: Record<string, unknown>) => {
      const started = performance.now();
      const result = await mcp.callTool({ name, arguments: args });
      const ms = performance.now() - started;
      if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
      return ms;
    };
    for (let i = 0; i < 10; i++) {
      await timed("get_issue", { iid: issueIids[i] });
      await timed("search", { query: QUERIES[i % QUERIES.length] });
    }
    const getIssue: number[] = [];
    const search: number[] = [];
    for (let i = 0; i < calls; i++) {
      getIssue.push(await timed("get_issue", { iid: issueIids[i] }));
      search.push(await timed("search", { query: QUERIES[i % QUERIES.length] }));
    }
    getIssue.sort((a, b) => a - b);
    search.sort((a, b) => a - b);
    const spawned: number[] = [];
    for (let i = 0; i < 5; i++) {
      spawned.push((await must(lore(["--robot", "issues", String(issueIids[i])], home.env), "issues")).ms);
    }
    console.log(`\n## lore mcp over stdio (${entities} issues and MRs, ${notes} notes)\n`);
    console.log(
      `Mirror built through lore's upserts and document regeneration in ${buildS.toFixed(0)} s. ${calls} calls of each tool after 10 warm-up calls, one at a time; server start and initialize: ${Math.round(connectMs)} ms.\n`,
    );
    console.log(
      table(
        ["call", "p50 ms", "p95 ms"],
        [
          [
            "get_issue (MCP, one server)",
            percentile(getIssue, 50).toFixed(1),
            percentile(getIssue, 95).toFixed(1),
          ],
          ["search (MCP, one server)", percentile(search, 50).toFixed(1), percentile(search, 95).toFixed(1)],
          [
            "baseline: the same lexical searches in-process, no server",
            percentile(inProcess, 50).toFixed(1),
            percentile(inProcess, 95).toFixed(1),
          ],
          ["baseline: lore --robot issues N, one process per question", median(spawned).toFixed(0), "—"],
        ],
      ),
    );
    console.log("");
    console.log(
      `${verdict(percentile(getIssue, 50) <= 20)}  get_issue p50 ${percentile(getIssue, 50).toFixed(1)} ms (target ≤ 20 ms)`,
    );
    console.log(
      `${verdict(percentile(search, 50) <= 20)}  search p50 ${percentile(search, 50).toFixed(1)} ms (target ≤ 20 ms)`,
    );
  } finally {
    await client?.close();
    home.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchAgent(): Promise<void> {
  await benchRightNow();
  await benchMcp();
}
