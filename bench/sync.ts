// Sync benchmark: a first sync and a no-change incremental sync against the fake GitLab at 0 ms and
// 50 ms latency. The baseline is the same GitLab work done by the bare client without storing
// anything, so the reader sees what lore adds on top of the network.

import { createGitLabClient } from "../src/gitlab/client.js";
import { type Entity, type EntityKind, ISSUES, MERGE_REQUESTS } from "../src/sync/entity-kinds.js";
import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";
import { initLore, lore, must, QUICK, type Run, table, tempHome, verdict } from "./harness.js";

interface Scale {
  readonly issues: number;
  readonly mrs: number;
  readonly notes: number;
}

const CONCURRENCY = 8;

/** CPU seconds this process (the fake GitLab, and the baseline client when it runs) spent in `work`. */
async function withOwnCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuS: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuS: (used.user + used.system) / 1e6 };
}

/**
 * The network work of a first sync with the bare client: each list page, then the dependents of its
 * entities through the same fetch functions lore uses (so request-saving changes apply to both), with
 * nothing stored.
 */
async function baseline(url: string, projectPath: string): Promise<{ ms: number; requests: number }> {
  const client = createGitLabClient({ baseUrl: url, concurrency: CONCURRENCY });
  const started = performance.now();
  const project = await client.project(projectPath);
  const walk = async <T extends Entity>(kind: EntityKind<T>) => {
    for await (const page of kind.list(client, project.id, {})) {
      await Promise.all(page.map((entity) => kind.fetchDependents(client, project.id, entity)));
    }
  };
  await walk(ISSUES);
  await walk(MERGE_REQUESTS);
  return { ms: performance.now() - started, requests: client.metrics.requests };
}

interface SyncData {
  readonly data: { readonly projects: readonly { readonly ingest_ms: number }[] };
}

interface Measured {
  readonly run: Run;
  readonly requests: number;
  readonly serverCpuS: number;
}

interface Scenario {
  readonly latencyMs: number;
  readonly entities: number;
  readonly base: { ms: number; requests: number; cpuS: number };
  readonly first: Measured;
  readonly second: Measured;
  /** `lore sync --full` on the unchanged mirror: lists, and dependents only of what changed. */
  readonly full: Measured;
  readonly ingestMs: number;
}

async function scenario(latencyMs: number, scale: Scale): Promise<Scenario> {
  const gl = await startFakeGitLab();
  generate(gl, { ...scale, seed: 7 });
  const home = tempHome();
  const sync = async (what: string, extra: readonly string[] = []): Promise<Measured> => {
    gl.clearRequests();
    const { result: run, cpuS } = await withOwnCpu(() =>
      must(lore(["--robot", "sync", "--no-docs", ...extra], home.env), what),
    );
    return { run, requests: gl.requests.length, serverCpuS: cpuS };
  };
  try {
    await initLore(gl.url, home);
    gl.latencyMs = latencyMs;
    const { result: base, cpuS } = await withOwnCpu(() => baseline(gl.url, "group/proj"));
    const first = await sync("first sync");
    const second = await sync("no-change sync");
    const full = await sync("--full on the unchanged mirror", ["--full"]);
    const project = first.run.json<SyncData>().data.projects[0];
    return {
      latencyMs,
      entities: scale.issues + scale.mrs,
      base: { ...base, cpuS },
      first,
      second,
      full,
      ingestMs: project?.ingest_ms ?? Number.NaN,
    };
  } finally {
    home.cleanup();
    await gl.close();
  }
}

const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));

export async function benchSync(): Promise<void> {
  const full: Scale = QUICK
    ? { issues: 1_000, mrs: 200, notes: 10_000 }
    : { issues: 10_000, mrs: 2_000, notes: 100_000 };
  const slow: Scale = QUICK
    ? { issues: 100, mrs: 20, notes: 1_000 }
    : { issues: 1_000, mrs: 200, notes: 10_000 };
  console.log(`\n## Sync (fake GitLab on 127.0.0.1, gitlab.concurrency ${CONCURRENCY}, --no-docs)`);
  console.log(`0 ms latency:  ${full.issues} issues, ${full.mrs} MRs, ${full.notes} notes.`);
  console.log(
    `50 ms latency: scaled down to ${slow.issues} issues, ${slow.mrs} MRs, ${slow.notes} notes (see the estimate below).`,
  );
  console.log(
    "An issue or MR costs up to 6 requests (discussions, 3 kinds of resource events, 2 link lists) plus 1/100 of a list page.",
  );
  console.log(
    "The fake GitLab runs in the benchmark process on the same 2 cores as lore: its CPU time is shown beside lore's.\n",
  );
  const fast = await scenario(0, full);
  const slowRun = await scenario(50, slow);
  const results = [fast, slowRun];

  const rows: (string | number)[][] = [];
  const syncRow = (label: string, r: Scenario, m: Measured, entities: number | undefined) => [
    `${r.latencyMs} ms  ${label}`,
    (m.run.ms / 1000).toFixed(m.run.ms < 10_000 ? 2 : 1),
    m.requests,
    entities === undefined ? "-" : perSecond(entities, m.run.ms),
    m.run.cpuS.toFixed(1),
    m.serverCpuS.toFixed(1),
    m.run.peakRssMb,
  ];
  for (const r of results) {
    rows.push([
      `${r.latencyMs} ms  baseline: bare client, no storage`,
      (r.base.ms / 1000).toFixed(1),
      r.base.requests,
      perSecond(r.entities, r.base.ms),
      "-",
      `${r.base.cpuS.toFixed(1)} (both)`,
      "-",
    ]);
    rows.push(syncRow("lore sync (first)", r, r.first, r.entities));
    rows.push(syncRow("lore sync (no change)", r, r.second, undefined));
    rows.push(syncRow("lore sync --full (no change)", r, r.full, undefined));
  }
  console.log(
    table(["run", "wall s", "requests", "entities/s", "lore CPU s", "fake GitLab CPU s", "peak MB"], rows),
  );

  const ingestRate = perSecond(fast.entities, fast.ingestMs);
  const fullEntities = 12_000;
  const estimateMin = (slowRun.first.run.ms / slowRun.entities) * (fullEntities / 60_000);
  // The network floor: every request once, `concurrency` at a time, each one round trip long.
  const floorMs = (slowRun.first.requests / CONCURRENCY) * slowRun.latencyMs;
  const startupMs = await startupEstimate();
  const budgetMs = 1.1 * floorMs + startupMs;
  console.log("");
  console.log(
    `${verdict(slowRun.first.run.ms <= budgetMs)}  first sync at ${slowRun.latencyMs} ms: ${(slowRun.first.run.ms / 1000).toFixed(1)} s for ${slowRun.first.requests} requests; floor ${(floorMs / 1000).toFixed(1)} s (requests ÷ ${CONCURRENCY} × ${slowRun.latencyMs} ms), target ≤ 1.1 × floor + start-up (${Math.round(startupMs)} ms) = ${(budgetMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `      requests per entity (first sync): ${results.map((r) => (r.first.requests / r.entities).toFixed(2)).join(" / ")}; --full on the unchanged mirror: ${results.map((r) => `${r.full.requests} requests (${(r.full.requests / r.entities).toFixed(3)} per entity)`).join(" / ")}`,
  );
  console.log(
    `${verdict(results.every((r) => r.second.requests <= 3))}  no-change incremental sync: ${results.map((r) => r.second.requests).join(" / ")} requests for 1 project (target ≤ 3 per project)`,
  );
  console.log(
    `${verdict(ingestRate >= 2_000)}  local ingest: ${ingestRate} entities/s with their dependents, in database writes (target ≥ 2,000; ingest_ms ${fast.ingestMs} of ${Math.round(fast.first.run.ms)} ms wall)`,
  );
  console.log(
    `${verdict(results.every((r) => r.first.run.peakRssMb < 300))}  peak memory of lore sync: ${results.map((r) => `${r.first.run.peakRssMb} MB`).join(" / ")} (target < 300 MB)`,
  );
  console.log(
    `      end to end at 0 ms: ${perSecond(fast.entities, fast.first.run.ms)} entities/s, ${perSecond(fast.first.requests, fast.first.run.ms)} requests/s; the bare client alone: ${perSecond(fast.entities, fast.base.ms)} entities/s.`,
  );
  console.log(
    `      at ${slowRun.latencyMs} ms lore takes ${((slowRun.first.run.ms / slowRun.base.ms - 1) * 100).toFixed(0)}% ${slowRun.first.run.ms >= slowRun.base.ms ? "longer" : "less"} than the bare client walking page by page; a full ${fullEntities}-entity first sync at ${slowRun.latencyMs} ms would take ≈ ${estimateMin.toFixed(1)} min.`,
  );
}

/** The CLI's start-up (median `lore --version`), which the full-sync budget allows on top of the network. */
async function startupEstimate(): Promise<number> {
  const home = tempHome();
  try {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await must(lore(["--version"], home.env), "version")).ms);
    return runs.sort((a, b) => a - b)[2] ?? Number.NaN;
  } finally {
    home.cleanup();
  }
}
