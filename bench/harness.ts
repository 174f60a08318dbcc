// Shared benchmark plumbing: run the built lore binary in a temporary home, measuring wall time, CPU
// time and peak resident memory (VmHWM and utime+stime, polled from /proc while it runs), and print
// aligned tables.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const LORE = resolve(import.meta.dirname, "../../dist/cli/main.js");
export const QUICK = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";

export interface Home {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly dbPath: string;
  cleanup(): void;
}

export function tempHome(): Home {
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-"));
  return {
    dir,
    env: {
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, ".config"),
      XDG_DATA_HOME: join(dir, ".local", "share"),
      NO_COLOR: "1",
      PATH: process.env.PATH ?? "",
    },
    dbPath: join(dir, ".local", "share", "lore", "lore.db"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Run {
  readonly code: number | null;
  readonly ms: number;
  readonly peakRssMb: number;
  /** CPU seconds (user + system) of the lore process, as last read from /proc before it exited. */
  readonly cpuS: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Linux clock ticks per second (`getconf CLK_TCK`), which /proc/<pid>/stat counts CPU time in. */
const CLOCK_TICKS = 100;

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after "pid (comm) " start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export function lore(args: readonly string[], env: Record<string, string>, bin: string = LORE): Promise<Run> {
  const started = performance.now();
  // Run the binary itself, as a user's shell would, so its shebang's Node flags apply.
  const child = spawn(bin, [...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let peak = 0;
  let cpu = 0;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const poll = setInterval(() => {
    if (!child.pid) return;
    peak = Math.max(peak, vmHwmKb(child.pid));
    cpu = Math.max(cpu, cpuSeconds(child.pid));
  }, 25);
  return new Promise((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(poll);
      const ms = performance.now() - started;
      resolvePromise({
        code,
        ms,
        peakRssMb: Math.round(peak / 1024),
        cpuS: cpu,
        stdout,
        stderr,
        json: <T>() => JSON.parse(stdout) as T,
      });
    });
  });
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "))
    .join("\n");
}

export const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export async function must(run: Promise<Run>, what: string): Promise<Run> {
  const r = await run;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `lore init` for the fake GitLab's `group/proj`, embeddings off, in `home`. */
export function initLore(gitlabUrl: string, home: Home): Promise<Run> {
  return must(
    lore(
      ["init", "--gitlab-url", gitlabUrl, "--project", "group/proj", "--embedding-provider", "none"],
      home.env,
    ),
    "init",
  );
}

export const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

/** `lore init` and a first sync of the fake GitLab's `group/proj` in `home`, then the CLI's start-up time (median of 5 `lore --version`). */
export async function syncedHome(gitlabUrl: string, home: Home): Promise<{ startupMs: number }> {
  await initLore(gitlabUrl, home);
  await must(lore(["sync"], home.env), "first sync");
  const startup: number[] = [];
  for (let i = 0; i < 5; i++) startup.push((await must(lore(["--version"], home.env), "version")).ms);
  return { startupMs: median(startup) };
}
