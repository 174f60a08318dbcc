// Runs the built `lore` binary as a user would: a temporary HOME, chosen env, captured streams.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const LORE_BIN = resolve(import.meta.dirname, "../../dist/cli/main.js");

export interface LoreResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (robot mode); throws with the raw text when it is not exactly one JSON document. */
  // biome-ignore lint/suspicious/noExplicitAny: tests index robot JSON freely; assertions check the shapes.
  json<T = any>(): T;
}

export interface TempHome {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly configPath: string;
  readonly dbPath: string;
  cleanup(): void;
}

export function makeTempHome(prefix = "lore-test-"): TempHome {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env: Record<string, string> = {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, ".config"),
    XDG_DATA_HOME: join(dir, ".local", "share"),
    NO_COLOR: "1",
  };
  return {
    dir,
    env,
    configPath: join(dir, ".config", "lore", "config.json"),
    dbPath: join(dir, ".local", "share", "lore", "lore.db"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface RunOptions {
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  readonly timeoutMs?: number;
  /**
   * Run without the power to override file permissions: as root, with every capability dropped
   * (util-linux `setpriv`), so a file or directory without write permission is truly read-only.
   * Other users are bound by permissions already.
   */
  readonly unprivileged?: boolean;
  /** Working directory (default: the test process's). */
  readonly cwd?: string;
  /** Run on just these CPUs (util-linux `taskset -c`), as on a machine with fewer cores. */
  readonly cpus?: string;
}

/** Minimal environment: PATH and what the test passes; never the developer's GitLab token. */
function childEnv(extra: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", LANG: "C.UTF-8" };
  for (const [k, v] of Object.entries(extra ?? {})) if (v !== undefined) env[k] = v;
  return env;
}

const DROP_CAPABILITIES = ["--inh-caps=-all", "--bounding-set=-all", "--"];

export function spawnLore(args: readonly string[], options: RunOptions = {}): ChildProcess {
  const pinned = options.cpus ? ["taskset", "-c", options.cpus] : [];
  const command = [...pinned, process.execPath, LORE_BIN, ...args];
  const [file, ...rest] =
    options.unprivileged && process.getuid?.() === 0
      ? ["setpriv", ...DROP_CAPABILITIES, ...command]
      : command;
  return spawn(file as string, rest, {
    env: childEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
}

export function collect(child: ChildProcess, options: RunOptions = {}): Promise<LoreResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `lore timed out after ${options.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        json() {
          const text = stdout.trim();
          try {
            return JSON.parse(text);
          } catch {
            throw new Error(`stdout is not one JSON document:\n${stdout}\nstderr:\n${stderr}`);
          }
        },
      });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export function runLore(args: readonly string[], options: RunOptions = {}): Promise<LoreResult> {
  return collect(spawnLore(args, options), options);
}

export interface TerminalRunOptions extends RunOptions {
  /** The terminal's width (default 100). */
  readonly columns?: number;
}

/** Quotes one word for sh. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * Runs lore in a pseudo-terminal (util-linux `script`), as a person at a terminal would: stdin,
 * stdout and stderr are all the terminal, so `stdout` holds both streams, with `\r\n` line ends
 * turned into `\n`. The terminal is `columns` wide.
 */
export function runLoreInTerminal(
  args: readonly string[],
  options: TerminalRunOptions = {},
): Promise<LoreResult> {
  return collect(spawnLoreInTerminal(args, options), options).then((result) => ({
    ...result,
    stdout: result.stdout.replace(/\r\n/g, "\n"),
  }));
}

/** Starts lore in a pseudo-terminal (see runLoreInTerminal), for a test that watches it as it runs. */
export function spawnLoreInTerminal(args: readonly string[], options: TerminalRunOptions = {}): ChildProcess {
  const command = [process.execPath, LORE_BIN, ...args].map(shellQuote).join(" ");
  return spawn(
    "script",
    ["-qec", `stty cols ${options.columns ?? 100} rows 40; exec ${command}`, "/dev/null"],
    {
      env: childEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    },
  );
}

/** Text without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
}
