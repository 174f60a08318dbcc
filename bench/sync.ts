// Sync benchmark: a first sync and a no-change incremental sync against the fake GitLab at 0 ms and
// 50 ms latency. The baseline is the same GitLab work done by the bare client without storing
// anything, so the reader sees what lore adds on top of the network.

import { collectPages, createGitLabClient } from "../src/gitlab/client.js";
import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";
import { type Home, lore, must, QUICK, type Run, table, tempHome, verdict } from "./harness.js";

interface Scale {
  readonly issues: number;
  readonly mrs: number;
  readonly notes: number;
}

const CONCURRENCY = 8;
/** Node flag that caps V8's young generation; the diagnostic run shows its effect on peak memory. */
const SEMI_SPACE_FLAG = "--max-semi-space-size=16";

/** CPU seconds this process (the fake GitLab, and the baseline client when it runs) spent in `work`. */
async function withOwnCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpuS: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  return { result, cpuS: (used.user + used.system) / 1e6 };
}

/** Lists, then every dependent lore fetches, with the bare client; nothing is parsed into a database. */
async function baseline(url: string, projectPath: string): Promise<{ ms: number; requests: number }> {
  const client = createGitLabClient({ baseUrl: url, concurrency: CONCURRENCY });
  const started = performance.now();
  const project = await client.project(projectPath);
  for (const [list, type] of [
    [client.listIssues(project.id), "issue"],
    [client.listMergeRequests(project.id), "merge_request"],
  ] as const) {
    for await (const page of list) {
      await Promise.all(
        page.map(async (item) => {
          const iid = item.iid;
          await Promise.all([
            collectPages(
              type === "issue"
                ? client.issueDiscussions(project.id, iid)
                : client.mergeRequestDiscussions(project.id, iid),
            ),
            ...(["state", "label", "milestone"] as const).map((kind) =>
              collectPages(client.resourceEvents(project.id, type, iid, kind)),
            ),
            ...(type === "issue"
              ? [
                  collectPages(client.issueRelatedMergeRequests(project.id, iid)),
                  collectPages(client.issueClosedBy(project.id, iid)),
                ]
              : [
                  collectPages(client.mergeRequestClosesIssues(project.id, iid)),
                  collectPages(client.mergeRequestDiffs(project.id, iid)),
                ]),
          ]);
        }),
      );
    }
  }
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
  readonly ingestMs: number;
  readonly tuned?: Measured;
}

async function initHome(url: string): Promise<Home> {
  const home = tempHome();
  await must(
    lore(["init", "--gitlab-url", url, "--project", "group/proj", "--embedding-provider", "none"], home.env),
    "init",
  );
  return home;
}

async function scenario(latencyMs: number, scale: Scale, diagnostic: boolean): Promise<Scenario> {
  const gl = await startFakeGitLab();
  generate(gl, { ...scale, seed: 7 });
  const homes: Home[] = [];
  const sync = async (home: Home, what: string, env: Record<string, string> = {}): Promise<Measured> => {
    gl.clearRequests();
    const { result: run, cpuS } = await withOwnCpu(() =>
      must(lore(["--robot", "sync", "--no-docs"], { ...home.env, ...env }), what),
    );
    return { run, requests: gl.requests.length, serverCpuS: cpuS };
  };
  try {
    const home = await initHome(gl.url);
    homes.push(home);
    gl.latencyMs = latencyMs;
    gl.clearRequests();
    const { result: base, cpuS } = await withOwnCpu(() => baseline(gl.url, "group/proj"));
    const first = await sync(home, "first sync");
    const second = await sync(home, "no-change sync");
    let tuned: Measured | undefined;
    if (diagnostic) {
      const fresh = await initHome(gl.url);
      homes.push(fresh);
      tuned = await sync(fresh, "first sync (diagnostic)", { NODE_OPTIONS: SEMI_SPACE_FLAG });
    }
    const project = first.run.json<SyncData>().data.projects[0];
    return {
      latencyMs,
      entities: scale.issues + scale.mrs,
      base: { ...base, cpuS },
      first,
      second,
      ingestMs: project?.ingest_ms ?? Number.NaN,
      ...(tuned ? { tuned } : {}),
    };
  } finally {
    for (const home of homes) home.cleanup();
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
    "Each issue or MR costs 6 requests (discussions, 3 kinds of resource events, 2 link lists) plus 1/100 of a list page.",
  );
  console.log(
    "The fake GitLab runs in the benchmark process on the same 2 cores as lore: its CPU time is shown beside lore's.\n",
  );
  const fast = await scenario(0, full, !QUICK);
  const slowRun = await scenario(50, slow, false);
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
    if (r.tuned) rows.push(syncRow(`lore sync (first), ${SEMI_SPACE_FLAG}`, r, r.tuned, r.entities));
  }
  console.log(
    table(["run", "wall s", "requests", "entities/s", "lore CPU s", "fake GitLab CPU s", "peak MB"], rows),
  );

  const ingestRate = perSecond(fast.entities, fast.ingestMs);
  const fullEntities = 12_000;
  const estimateMin = (slowRun.first.run.ms / slowRun.entities) * (fullEntities / 60_000);
  console.log("");
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
    `      at 50 ms lore takes ${((slowRun.first.run.ms / slowRun.base.ms - 1) * 100).toFixed(0)}% longer than the bare client; a full ${fullEntities}-entity first sync at 50 ms would take ≈ ${estimateMin.toFixed(1)} min.`,
  );
  if (fast.tuned) {
    const drop = fast.first.run.peakRssMb - fast.tuned.run.peakRssMb;
    console.log(
      `      diagnostic: with NODE_OPTIONS=${SEMI_SPACE_FLAG} the same first sync peaks at ${fast.tuned.run.peakRssMb} MB` +
        (drop > 50
          ? ` (${drop} MB less): most of the default peak is V8's young generation, sized from this machine's RAM, holding garbage, not data lore keeps.`
          : "."),
    );
  }
}
