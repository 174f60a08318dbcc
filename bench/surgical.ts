// `npm run bench:surgical`: wall time of surgical syncs of 1, 10 and 100 IIDs beside a no-change
// incremental sync of the same project, against the fake GitLab at 50 ms per request. The network
// floor (round trips the requests need at the client's concurrency) is the baseline. With
// LORE_BENCH_BASELINE naming another build's dist/cli/main.js, each run is also made with it,
// interleaved run by run, and its wall time printed beside.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";
import { LORE, lore, median, must, QUICK, syncedHome, table, tempHome, verdict } from "./harness.js";

const RTT = 50;
// lore's defaults: gitlab.surgicalConcurrency for surgical runs, gitlab.concurrency for incremental ones.
const SURGICAL_CONCURRENCY = 32;
const INCREMENTAL_CONCURRENCY = 8;
const REPEATS = QUICK ? 1 : 3;
const BASELINE = process.env.LORE_BENCH_BASELINE;

const gl = await startFakeGitLab();
const data = generate(gl, { issues: 300, mrs: 120, notes: 3_000, seed: 5 });
const home = tempHome();
try {
  const { startupMs } = await syncedHome(gl.url, home);
  gl.latencyMs = RTT;

  const rows: (string | number)[][] = [];
  /** Runs `args` REPEATS times (after `before`, e.g. an edit on GitLab) and records the median. */
  const measure = async (
    label: string,
    args: string[],
    floorRoundTrips: (requests: number) => number,
    before: () => void = () => {},
  ) => {
    const walls: number[] = [];
    const baselineWalls: number[] = [];
    let requests = 0;
    for (let i = 0; i < REPEATS; i++) {
      for (const bin of BASELINE ? [LORE, BASELINE] : [LORE]) {
        before();
        gl.clearRequests();
        const ms = (await must(lore(["--robot", ...args], home.env, bin), label)).ms;
        if (bin === LORE) {
          walls.push(ms);
          requests = gl.requests.length;
        } else baselineWalls.push(ms);
      }
    }
    const ms = median(walls);
    const floorMs = floorRoundTrips(requests) * RTT;
    rows.push([
      label,
      Math.round(ms),
      requests,
      Math.round(ms - startupMs),
      floorMs,
      ...(BASELINE ? [Math.round(median(baselineWalls))] : []),
    ]);
    return { ms, net: ms - startupMs, requests };
  };
  // Surgical: the batched iids[] preflight lists and every entity's dependents go out together,
  // `concurrency` requests at a time. Incremental: project, then the issue and MR lists at once.
  const surgicalFloor = (concurrency: number) => (requests: number) => Math.ceil(requests / concurrency);
  const surgical = (
    iids: readonly number[],
    label: string,
    concurrency = SURGICAL_CONCURRENCY,
    kind: "issue" | "mr" = "issue",
  ) =>
    measure(
      label,
      ["sync", "-p", "group/proj", ...iids.flatMap((i) => [`--${kind}`, String(i)])],
      surgicalFloor(concurrency),
      () => {
        // Edited on GitLab since the last sync, so each run really ingests.
        const edit = kind === "issue" ? gl.updateIssue : gl.updateMergeRequest;
        for (const iid of iids) edit(data.project, iid, { description: `Edited ${gl.nowIso()}` });
      },
    );

  const incremental = await measure("incremental sync, no change", ["sync"], () => 2);
  const one = [42];
  const ten = Array.from({ length: 10 }, (_, i) => 100 + i);
  const hundred = Array.from({ length: 100 }, (_, i) => 150 + i);
  const r1 = await surgical(one, "surgical, 1 issue");
  const r10 = await surgical(ten, "surgical, 10 issues");
  const r100 = await surgical(hundred, "surgical, 100 issues");
  const r100mrs = await surgical(
    Array.from({ length: 100 }, (_, i) => 1 + i),
    "surgical, 100 MRs",
    SURGICAL_CONCURRENCY,
    "mr",
  );
  const configPath = join(home.dir, ".config", "lore", "config.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { gitlab: Record<string, unknown> };
  config.gitlab.surgicalConcurrency = INCREMENTAL_CONCURRENCY;
  writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  const r100narrow = await surgical(
    hundred,
    `surgical, 100 issues, gitlab.surgicalConcurrency ${INCREMENTAL_CONCURRENCY}`,
    INCREMENTAL_CONCURRENCY,
  );

  console.log(`# Surgical sync vs incremental sync (fake GitLab, ${RTT} ms per request)\n`);
  console.log(
    `Project: ${data.issues.length} issues, ${data.mrs.length} MRs, synced once beforehand. Defaults unless noted: gitlab.surgicalConcurrency ${SURGICAL_CONCURRENCY}, gitlab.concurrency ${INCREMENTAL_CONCURRENCY}. Median of ${REPEATS} run(s); each surgical run follows an edit of its issues on GitLab.`,
  );
  console.log(
    `CLI start-up (lore --version, median of 5): ${Math.round(startupMs)} ms — included in every wall time below.\n`,
  );
  console.log(
    table(
      [
        "run",
        "wall ms",
        "requests",
        "wall − start-up ms",
        `network floor ms (${RTT} ms × round trips)`,
        ...(BASELINE ? ["baseline wall ms"] : []),
      ],
      rows,
    ),
  );
  if (BASELINE) console.log(`baseline: ${BASELINE}`);
  const budget1 = 2 * RTT + 150;
  const budget100 = 15 * RTT + 1000;
  console.log("");
  console.log(
    `${verdict(r1.ms <= budget1)}  1 issue: ${Math.round(r1.ms)} ms end to end including start-up, ${r1.requests} requests (target ≤ 2 round trips + 150 ms = ${budget1} ms)`,
  );
  console.log(
    `${verdict(r100.net <= budget100)}  100 issues: ${Math.round(r100.net)} ms after start-up, ${r100.requests} requests (target ≤ 15 round trips + 1 s = ${budget100} ms, default surgical concurrency ${SURGICAL_CONCURRENCY})`,
  );
  console.log(
    `${verdict(r100mrs.net <= budget100)}  100 MRs: ${Math.round(r100mrs.net)} ms after start-up, ${r100mrs.requests} requests (same target)`,
  );
  console.log(
    `      10 issues: ${Math.round(r10.net)} ms; no-change incremental: ${Math.round(incremental.net)} ms (${incremental.requests} requests).`,
  );
  console.log(
    `      requests per entity: 1 issue ${r1.requests}, 10 issues ${(r10.requests / 10).toFixed(1)}, 100 issues ${(r100.requests / 100).toFixed(2)}, 100 MRs ${(r100mrs.requests / 100).toFixed(2)} (one batched preflight list, then ≤ 6 dependent lists each; closed_by only when GitLab counts closing MRs).`,
  );
  const neededConcurrency = Math.ceil(r100.requests / 15);
  console.log(
    `      100 issues need ${r100.requests} requests: ${surgicalFloor(SURGICAL_CONCURRENCY)(r100.requests)} round trips at concurrency ${SURGICAL_CONCURRENCY}; ` +
      `fitting 15 round trips takes concurrency ≥ ${neededConcurrency}. At ${INCREMENTAL_CONCURRENCY} (incremental sync's width): ${surgicalFloor(INCREMENTAL_CONCURRENCY)(r100narrow.requests)} round trips, ${Math.round(r100narrow.net)} ms after start-up.`,
  );
} finally {
  home.cleanup();
  await gl.close();
}
