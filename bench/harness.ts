// Shared benchmark plumbing: run the built lore binary in a temporary home, measuring wall time and
// peak resident memory (VmHWM, polled from /proc while it runs), and print aligned tables.

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

export function lore(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [LORE, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let peak = 0;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const poll = setInterval(() => {
    if (child.pid) peak = Math.max(peak, vmHwmKb(child.pid));
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
