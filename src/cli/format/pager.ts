// Long human output on a terminal goes through a pager, as git and gh do: `$PAGER`, else
// `less -FRX` (quit when it fits one screen, keep colours, leave the text on screen). The pager
// reads what lore writes; lore waits for it to exit. A pager that cannot start, or that the user
// quits early, never costs output or an error: lore writes to the terminal itself instead.

import type { ChildProcess } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, isAbsolute, join } from "node:path";

export const DEFAULT_PAGER = "less -FRX";

/** node:child_process, required when a pager starts: as an ES import it costs every command ~3 ms. */
const childProcess = () =>
  createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");

/** Splits a command line as a POSIX shell would for words: quotes and backslashes, no expansion. */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string))
        word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The pager's argv from the environment; undefined when paging is off (`PAGER=` or `PAGER=cat`). */
export function pagerArgv(env: Readonly<Record<string, string | undefined>>): string[] | undefined {
  const configured = env.LORE_PAGER ?? env.PAGER;
  const argv = splitCommandLine(configured ?? DEFAULT_PAGER);
  if (argv.length === 0 || argv[0] === "cat") return undefined;
  return argv;
}

/** The executable's path when `command` can be run (found on PATH, or a path that exists). */
export function findExecutable(
  command: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const candidates = command.includes("/")
    ? [isAbsolute(command) ? command : join(process.cwd(), command)]
    : (env.PATH ?? "")
        .split(delimiter)
        .filter((dir) => dir !== "")
        .map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface Pager {
  /** Writes text to the pager; false (and the text dropped) once the pager has gone (the user quit it). */
  write(text: string): boolean;
  /** Ends the pager's input and waits until it exits. */
  close(): Promise<void>;
}

/** Starts the pager on the terminal, or returns undefined when it cannot be run. */
export function startPager(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Pager | undefined {
  const [command, ...args] = argv;
  if (command === undefined) return undefined;
  const executable = findExecutable(command, env);
  if (!executable) return undefined;
  // less without options still keeps colours and quits on short output (git's and gh's default).
  const pagerEnv = { ...env, LESS: env.LESS ?? "FRX", LV: env.LV ?? "-c" };
  let child: ChildProcess;
  try {
    child = childProcess().spawn(executable, args, { stdio: ["pipe", "inherit", "inherit"], env: pagerEnv });
  } catch {
    return undefined;
  }
  let open = true;
  const exited = new Promise<void>((resolve) => {
    child.once("close", () => resolve());
    child.once("error", () => resolve());
  });
  child.once("exit", () => {
    open = false;
  });
  // The user quitting the pager closes its input: later writes fail with EPIPE, which is not an error.
  child.stdin?.on("error", () => {
    open = false;
  });
  return {
    write(text) {
      if (!open || !child.stdin || child.stdin.destroyed) return false;
      child.stdin.write(text);
      return true;
    },
    async close() {
      if (child.stdin && !child.stdin.destroyed) child.stdin.end();
      // Ctrl-C in the pager reaches lore too: lore waits for the pager rather than dying under it.
      const ignore = () => {};
      process.on("SIGINT", ignore);
      try {
        await exited;
      } finally {
        process.off("SIGINT", ignore);
      }
    },
  };
}
