// Start-up benchmark: how long the built binary takes before it does useful work. Each figure is
// the median of several spawns, beside bare Node's own start-up measured in the same run:
// `lore --version`, `lore --help`, and the time from spawn until the first GitLab request of an
// incremental and a surgical sync reaches the (in-process) fake GitLab. With LORE_BENCH_BASELINE
// naming another build's dist/cli/main.js (e.g. of the previous commit), its figures are measured
// in the same run, interleaved spawn by spawn, and printed beside.

import { spawn } from "node:child_process";
import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { seedProject } from "../test/support/scenario.js";
import { initLore, LORE, lore, must, percentile, QUICK, table, tempHome, verdict } from "./harness.js";

const RUNS = QUICK ? 5 : 11;
const BASELINE = process.env.LORE_BENCH_BASELINE;

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** Wall time of a process that does nothing: the floor every CLI start-up sits on. */
function bareNode(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - started));
  });
}

export interface StartupFigures {
  readonly nodeMs: number;
  readonly versionMs: number;
  readonly helpMs: number;
  readonly firstRequestMs: number;
  readonly surgicalFirstRequestMs: number;
}

const METRICS = ["version", "help", "sync", "surgical"] as const;
type Metric = (typeof METRICS)[number];

export async function benchStartup(): Promise<StartupFigures> {
  const gl = await startFakeGitLab();
  seedProject(gl, { issues: 3, mrs: 2 });
  const bins = BASELINE ? [LORE, BASELINE] : [LORE];
  const home = tempHome();
  try {
    await initLore(gl.url, home);
    await must(lore(["sync"], home.env), "first sync");
    /** Spawn → first request on the fake GitLab's socket. */
    const firstRequest = async (args: readonly string[], bin: string) => {
      let firstAt: number | undefined;
      const stop = gl.onRequest(() => {
        firstAt ??= performance.now();
      });
      const started = performance.now();
      await must(lore(args, home.env, bin), args.join(" "));
      stop();
      if (firstAt === undefined) throw new Error(`${args.join(" ")} sent no request`);
      return firstAt - started;
    };
    const measure: Record<Metric, (bin: string) => Promise<number>> = {
      version: async (bin) => (await must(lore(["--version"], home.env, bin), "version")).ms,
      help: async (bin) => (await must(lore(["--help"], home.env, bin), "help")).ms,
      sync: (bin) => firstRequest(["sync", "--no-docs"], bin),
      surgical: (bin) => firstRequest(["sync", "--issue", "1", "--no-docs"], bin),
    };
    const node: number[] = [];
    const samples = new Map(bins.map((bin) => [bin, new Map(METRICS.map((m) => [m, [] as number[]]))]));
    // One warm-up round fills Node's compile cache, as any earlier run of lore would have.
    for (const bin of bins) for (const m of METRICS) await measure[m](bin);
    for (let i = 0; i < RUNS; i++) {
      node.push(await bareNode());
      for (const m of METRICS)
        for (const bin of bins)
          samples
            .get(bin)
            ?.get(m)
            ?.push(await measure[m](bin));
    }
    const nodeMs = median(node);
    const fig = (bin: string, m: Metric) => median(samples.get(bin)?.get(m) ?? []);
    const labels: Record<Metric, string> = {
      version: "lore --version",
      help: "lore --help",
      sync: "lore sync: first GitLab request",
      surgical: "lore sync --issue 1: first GitLab request",
    };
    console.log(
      `\n## Start-up (median of ${RUNS} spawns after one warm-up; bare node ${Math.round(nodeMs)} ms)\n`,
    );
    const headers = [
      "what",
      "ms",
      "over bare node ms",
      ...(BASELINE ? ["baseline ms", "baseline over node ms"] : []),
    ];
    console.log(
      table(
        headers,
        METRICS.map((m) => [
          labels[m],
          Math.round(fig(LORE, m)),
          Math.round(fig(LORE, m) - nodeMs),
          ...(BASELINE ? [Math.round(fig(BASELINE, m)), Math.round(fig(BASELINE, m) - nodeMs)] : []),
        ]),
      ),
    );
    if (BASELINE) console.log(`baseline: ${BASELINE}`);
    const figures = {
      nodeMs,
      versionMs: fig(LORE, "version"),
      helpMs: fig(LORE, "help"),
      firstRequestMs: fig(LORE, "sync"),
      surgicalFirstRequestMs: fig(LORE, "surgical"),
    };
    console.log("");
    console.log(
      `${verdict(figures.versionMs <= 60)}  lore --version: ${Math.round(figures.versionMs)} ms (target ≤ 60 ms)`,
    );
    console.log(
      `${verdict(figures.firstRequestMs <= 90)}  first GitLab request of lore sync: ${Math.round(figures.firstRequestMs)} ms after spawn (target ≤ 90 ms)`,
    );
    return figures;
  } finally {
    home.cleanup();
    await gl.close();
  }
}
