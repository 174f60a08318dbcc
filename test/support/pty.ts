// Runs the built `lore` on a pseudo-terminal (util-linux `script`), answering its prompts: each
// step waits for a prompt to appear in the output, then types a line, as a person at a terminal.

import { spawn } from "node:child_process";
import { LORE_BIN } from "./cli.js";

export interface PtyStep {
  readonly waitFor: string | RegExp;
  /** The line typed (Enter is added). */
  readonly send: string;
}

export interface PtyResult {
  readonly code: number | null;
  /** Everything the terminal showed (stdout and stderr together, as a terminal does). */
  readonly output: string;
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

export function runLoreInPty(
  args: readonly string[],
  env: Record<string, string>,
  steps: readonly PtyStep[],
  timeoutMs = 30_000,
): Promise<PtyResult> {
  const command = [process.execPath, LORE_BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", LANG: "C.UTF-8", TERM: "dumb", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let seen = 0;
  let next = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`no prompt matching ${String(steps[next]?.waitFor)} within ${timeoutMs} ms:\n${output}`),
      );
    }, timeoutMs);
    const answer = () => {
      const step = steps[next];
      if (!step) return;
      const rest = output.slice(seen);
      const match = typeof step.waitFor === "string" ? rest.indexOf(step.waitFor) : rest.search(step.waitFor);
      if (match < 0) return;
      seen += match + 1;
      next += 1;
      child.stdin.write(`${step.send}\r`);
      answer();
    };
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      answer();
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (next < steps.length)
        reject(new Error(`lore ended before the prompt ${String(steps[next]?.waitFor)}:\n${output}`));
      else resolve({ code, output: output.replaceAll("\r\n", "\n") });
    });
  });
}
