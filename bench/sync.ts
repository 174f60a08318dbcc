// Sync benchmark: a first sync and a no-change incremental sync against the fake GitLab at 0 ms and
// 50 ms latency. The baseline is the same GitLab work done by the bare client without storing
// anything, so the reader sees what lore adds on top of the network.

import { collectPages, createGitLabClient } from "../src/gitlab/client.js";
import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";
import { lore, must, QUICK, table, tempHome, verdict } from "./harness.js";

interface Scale {
  readonly issues: number;
  readonly mrs: number;
  readonly notes: number;
}

async function baseline(url: string, projectPath: string): Promise<{ ms: number; requests: number }> {
  const client = createGitLabClient({ baseUrl: url, concurrency: 8 });
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

async function scenario(latencyMs: number, scale: Scale) {
  const gl = await startFakeGitLab();
  generate(gl, { ...scale, seed: 7 });
  const home = tempHome();
  try {
    await must(
      lore(
        ["init", "--gitlab-url", gl.url, "--project", "group/proj", "--embedding-provider", "none"],
        home.env,
      ),
      "init",
    );
    gl.latencyMs = latencyMs;
    gl.clearRequests();
    const base = await baseline(gl.url, "group/proj");
    gl.clearRequests();
    const first = await must(lore(["--robot", "sync", "--no-docs"], home.env), "first sync");
    const firstRequests = gl.requests.length;
    const data = first.json<{
      data: {
        projects: {
          ingest_ms: number;
          issues_ingested: number;
          mrs_ingested: number;
          notes_upserted: number;
        }[];
      };
    }>().data;
    const p = data.projects[0] as {
      ingest_ms: number;
      issues_ingested: number;
      mrs_ingested: number;
      notes_upserted: number;
    };
    gl.clearRequests();
    const second = await must(lore(["--robot", "sync", "--no-docs"], home.env), "no-change sync");
    const secondRequests = gl.requests.length;
    const entities = scale.issues + scale.mrs;
    return {
      latencyMs,
      scale,
      base,
      first,
      firstRequests,
      second,
      secondRequests,
      entities,
      ingestMs: p.ingest_ms,
      notes: p.notes_upserted,
    };
  } finally {
    home.cleanup();
    await gl.close();
  }
}

export async function benchSync(): Promise<void> {
  const full: Scale = QUICK
    ? { issues: 1_000, mrs: 200, notes: 10_000 }
    : { issues: 10_000, mrs: 2_000, notes: 100_000 };
  const slow: Scale = QUICK
    ? { issues: 100, mrs: 20, notes: 1_000 }
    : { issues: 1_000, mrs: 200, notes: 10_000 };
  console.log(`\n## Sync (fake GitLab on 127.0.0.1, concurrency 8)`);
  console.log(`0 ms latency: ${full.issues} issues, ${full.mrs} MRs, ${full.notes} notes.`);
  console.log(
    `50 ms latency: scaled down to ${slow.issues} issues, ${slow.mrs} MRs, ${slow.notes} notes (a full-size run would take tens of minutes at 8 requests in flight).\n`,
  );
  const rows: (string | number)[][] = [];
  const results = [await scenario(0, full), await scenario(50, slow)];
  for (const r of results) {
    rows.push([
      `${r.latencyMs} ms  baseline: client only, no storage`,
      (r.base.ms / 1000).toFixed(1),
      r.base.requests,
      Math.round(r.entities / (r.base.ms / 1000)),
      "-",
      "-",
    ]);
    rows.push([
      `${r.latencyMs} ms  lore sync (first)`,
      (r.first.ms / 1000).toFixed(1),
      r.firstRequests,
      Math.round(r.entities / (r.first.ms / 1000)),
      Math.round(r.entities / (r.ingestMs / 1000)),
      r.first.peakRssMb,
    ]);
    rows.push([
      `${r.latencyMs} ms  lore sync (no change)`,
      (r.second.ms / 1000).toFixed(2),
      r.secondRequests,
      "-",
      "-",
      r.second.peakRssMb,
    ]);
  }
  console.log(table(["run", "wall s", "requests", "entities/s", "ingest entities/s", "peak MB"], rows));
  const [fast] = results;
  if (!fast) return;
  const ingestRate = fast.entities / (fast.ingestMs / 1000);
  console.log("");
  console.log(
    `${verdict(results.every((r) => r.secondRequests <= 3))}  no-change incremental sync: ${results.map((r) => r.secondRequests).join(" / ")} requests (target ≤ 3 per project)`,
  );
  console.log(
    `${verdict(ingestRate >= 2_000)}  local ingest: ${Math.round(ingestRate)} entities/s with dependents (target ≥ 2,000; time spent in database writes)`,
  );
  console.log(
    `${verdict(results.every((r) => r.first.peakRssMb < 300))}  peak memory: ${results.map((r) => `${r.first.peakRssMb} MB`).join(" / ")} (target < 300 MB)`,
  );
  console.log(
    `      end to end at 0 ms lore is bound by the ${fast.firstRequests} HTTP requests: ${Math.round(fast.entities / (fast.first.ms / 1000))} entities/s vs ${Math.round(fast.entities / (fast.base.ms / 1000))} for the bare client`,
  );
}
