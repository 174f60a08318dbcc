// A reader that goes away — `lore issues | head -1` — ends lore quietly with exit 0, on every
// command, as `git log | head` does: no "write EPIPE" stack trace. Tested through a real shell.
// The outputs here are far larger than a pipe's buffer (64 KB) plus what `head` reads before it
// exits, so lore is still writing when `head` closes the pipe; the closed-pipe cases make the pipe's
// reader exit before lore starts, so even a small output (help, version) meets a closed pipe.

import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { collect, LORE_BIN, makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore } from "../support/scenario.js";

const ISSUES = 300;
let gl: FakeGitLab;
let home: TempHome;

beforeAll(async () => {
  gl = await startFakeGitLab();
  const project = gl.addProject({ path: "group/proj" });
  const author = gl.user("alice");
  for (let i = 1; i <= ISSUES; i++) {
    gl.addIssue(project, {
      title: `Login fails ${i} ${"with a long explanation of the circumstances ".repeat(5)}`.slice(0, 255),
      description: i === 1 ? "A very long report. ".repeat(20_000) : `Steps for login ${i}.`,
      author,
    });
  }
  home = makeTempHome();
  await configureLore(home, gl);
  const sync = await runLore(["sync"], { env: home.env, timeoutMs: 120_000 });
  expect(sync.code, sync.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  await gl.close();
  home.cleanup();
});

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;
const lore = (args: readonly string[]) => [process.execPath, LORE_BIN, ...args].map(quote).join(" ");

/**
 * Runs `script` in bash (asynchronously: the fake GitLab answers from this process); the script
 * reports lore's exit status as `lore_exit=N` on stderr.
 */
async function bash(script: string) {
  const child = spawn("bash", ["-c", script], { env: { ...home.env, PATH: process.env.PATH ?? "" } });
  const result = await collect(child);
  const exit = /lore_exit=(\d+)/.exec(result.stderr)?.[1];
  return { stdout: result.stdout, stderr: result.stderr.replace(/lore_exit=\d+\n/, ""), exit: Number(exit) };
}

const piped = (args: readonly string[], reader: string) =>
  bash(`${lore(args)} | ${reader}; echo "lore_exit=\${PIPESTATUS[0]}" >&2`);

/** The pipe's reader has exited before lore starts: lore's first write meets a closed pipe. */
const intoClosedPipe = (args: readonly string[]) =>
  bash(`exec 3> >(true); wait $!; ${lore(args)} >&3; echo "lore_exit=$?" >&2`);

it("ends quietly with exit 0 when `head` stops reading a long list, a long view or a search", async () => {
  const cases: [string[], string, RegExp][] = [
    [["issues", "-n", String(ISSUES)], "head -1", /^Showing \d+ of \d+ open issues/],
    [["issues", "1"], "head -2", /^group\/proj#1 /],
    [
      ["search", "login", "-n", String(ISSUES)],
      "head",
      /^\d+ results for "login" · [^\n]*\n\ngroup\/proj#\d+ /,
    ],
    [["--robot", "issues", "-n", String(ISSUES)], "head -c 50", /^\{"ok":true,"data":\{"issues":\[/],
    [["--robot", "issues", "1"], "head -c 50", /^\{"ok":true/],
  ];
  for (const [args, reader, first] of cases) {
    const result = await piped(args, reader);
    expect(result.exit, `lore ${args.join(" ")} | ${reader}: ${result.stderr}`).toBe(0);
    expect(result.stderr, `lore ${args.join(" ")} | ${reader}`).toBe("");
    expect(result.stdout).toMatch(first);
  }
});

it("ends quietly with exit 0 on every command when the pipe is already closed", async () => {
  for (const args of [
    ["--help"],
    ["--version"],
    ["issues", "--help"],
    ["issues"],
    ["mrs"],
    ["search", "login"],
    ["status"],
    ["doctor"],
    ["sync"],
    ["--robot", "issues"],
    ["--robot", "status"],
  ]) {
    const result = await intoClosedPipe(args);
    expect(result.exit, `lore ${args.join(" ")}: ${result.stderr}`).toBe(0);
    // Only sync's own progress may reach stderr; never an EPIPE or a stack trace.
    expect(result.stderr, `lore ${args.join(" ")}`).not.toMatch(/EPIPE|\n\s+at |Error/);
  }
});

it("keeps working, silently, when stderr is closed and stdout is not", async () => {
  const result = await bash(`exec 3> >(true); wait $!; ${lore(["sync"])} 2>&3; echo "lore_exit=$?" >&2`);
  expect(result.exit, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/Synced|sync/i);
});
