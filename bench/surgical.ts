// `npm run bench:surgical`: wall time of surgical syncs of 1, 10 and 100 IIDs beside a no-change
// incremental sync of the same project, against the fake GitLab at 50 ms per request.

import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";
import { lore, must, table, tempHome, verdict } from "./harness.js";

const RTT = 50;

const gl = await startFakeGitLab();
const data = generate(gl, { issues: 300, mrs: 60, notes: 3_000, seed: 5 });
const home = tempHome();
try {
  await must(
    lore(
      ["init", "--gitlab-url", gl.url, "--project", "group/proj", "--embedding-provider", "none"],
      home.env,
    ),
    "init",
  );
  await must(lore(["sync"], home.env), "first sync");
  gl.latencyMs = RTT;
  const startup: number[] = [];
  for (let i = 0; i < 3; i++) startup.push((await must(lore(["--version"], home.env), "version")).ms);
  const startupMs = Math.min(...startup);

  const rows: (string | number)[][] = [];
  const measure = async (label: string, args: string[]) => {
    gl.clearRequests();
    const run = await must(lore(["--robot", ...args], home.env), label);
    rows.push([label, Math.round(run.ms), gl.requests.length, Math.round(run.ms - startupMs)]);
    return run;
  };
  const incremental = await measure("incremental sync, no change", ["sync"]);
  const touch = (iids: number[]) => {
    for (const iid of iids) gl.updateIssue(data.project, iid, { description: `Edited ${Date.now()}` });
  };
  const one = [42];
  const ten = Array.from({ length: 10 }, (_, i) => 100 + i);
  const hundred = Array.from({ length: 100 }, (_, i) => 150 + i);
  touch([...one, ...ten, ...hundred]);
  const r1 = await measure("surgical, 1 issue", [
    "sync",
    "-p",
    "group/proj",
    ...one.flatMap((i) => ["--issue", String(i)]),
  ]);
  const r10 = await measure("surgical, 10 issues", [
    "sync",
    "-p",
    "group/proj",
    ...ten.flatMap((i) => ["--issue", String(i)]),
  ]);
  const r100 = await measure("surgical, 100 issues", [
    "sync",
    "-p",
    "group/proj",
    ...hundred.flatMap((i) => ["--issue", String(i)]),
  ]);

  console.log(`# Surgical sync vs incremental sync (fake GitLab, ${RTT} ms per request, concurrency 8)\n`);
  console.log(
    `CLI start-up (lore --version): ${Math.round(startupMs)} ms — included in every wall time below.\n`,
  );
  console.log(table(["run", "wall ms", "requests", "wall − start-up ms"], rows));
  const budget1 = 3 * RTT + 250;
  const budget100 = 15 * RTT + 1000;
  const net = (ms: number) => ms - startupMs;
  console.log("");
  console.log(
    `${verdict(net(r1.ms) <= budget1)}  1 issue: ${Math.round(net(r1.ms))} ms after start-up (target ≤ 3 round trips + 250 ms = ${budget1} ms)`,
  );
  console.log(
    `${verdict(net(r100.ms) <= budget100)}  100 issues: ${Math.round(net(r100.ms))} ms after start-up (target ≤ 15 round trips + 1 s = ${budget100} ms)`,
  );
  console.log(
    `      10 issues: ${Math.round(net(r10.ms))} ms; no-change incremental: ${Math.round(net(incremental.ms))} ms`,
  );
} finally {
  home.cleanup();
  await gl.close();
}
