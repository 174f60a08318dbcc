// `lore completion bash|zsh|fish`: scripts generated from the command tree, run in the real shells.
// bash runs its completion function with COMP_WORDS set; zsh runs `_lore` with `words`/`CURRENT`
// set and the completion system's builtins (compadd, _describe, _files) replaced by ones that print
// what they were given; fish answers `complete -C`. The configured projects for -p come from the
// config at completion time, through `lore` itself. (.ci/run installs zsh and fish.)

import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, LORE_BIN, makeTempHome, runLore, type TempHome } from "../support/cli.js";

let home: TempHome;
let env: Record<string, string>;
const scripts: Record<string, string> = {};

function requireShell(shell: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${shell}`], { encoding: "utf8" }).stdout.trim();
  if (!found)
    throw new Error(
      `These tests run the ${shell} script in ${shell}: install it (apt-get install ${shell}).`,
    );
  return found;
}

beforeAll(async () => {
  home = makeTempHome();
  // The scripts call `lore` by name, as a user's shell would.
  const bin = join(home.dir, "bin");
  mkdirSync(bin);
  symlinkSync(LORE_BIN, join(bin, "lore"));
  env = { ...home.env, PATH: `${bin}:${process.env.PATH}` };
  const init = await runLore(
    ["init", "--gitlab-url", "http://127.0.0.1:9", "--project", "group/proj", "--embedding-provider", "none"],
    { env },
  );
  expect(init.code, init.stderr).toBe(0);
  expect((await runLore(["project", "add", "team/api", "--no-verify"], { env })).code).toBe(0);
  for (const shell of ["bash", "zsh", "fish"]) {
    const result = await runLore(["completion", shell], { env });
    expect(result.code, result.stderr).toBe(0);
    scripts[shell] = join(home.dir, `lore.${shell}`);
    writeFileSync(scripts[shell] as string, result.stdout);
  }
});
afterAll(() => home.cleanup());

async function run(shell: string, args: string[]): Promise<string[]> {
  const result = await collect(spawn(requireShell(shell), args, { env }));
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").filter((line) => line !== "");
}

/** What bash offers for `line` (the word being completed is the last, possibly empty). */
function bash(line: string): Promise<string[]> {
  const script = `source "$1"; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _lore lore; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return run("bash", ["-c", script, "bash", scripts.bash as string]);
}

/**
 * What zsh offers for `line`: the names given to compadd or _describe (or <files>) that match the
 * word being completed, as zsh's completion system keeps only those.
 */
async function zsh(line: string): Promise<string[]> {
  const script = `
compdef() { : }
compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }
_describe() { print -l -- "\${(@P)4}" }
_files() { print -- "<files>" }
source "$1"
words=("\${(@Q)\${(z)2}}")
CURRENT=\${#words}
_lore`;
  const offered = await run("zsh", ["-c", script, "zsh", scripts.zsh as string, line]);
  const prefix = line.endsWith('""') ? "" : (line.split(" ").at(-1) ?? "");
  return offered.map((entry) => entry.replace(/(?<!\\):.*$/, "")).filter((name) => name.startsWith(prefix));
}

/** What fish offers for `line` (a trailing space starts a new word). */
async function fish(line: string): Promise<string[]> {
  const offered = await run("fish", [
    "-c",
    `source $argv[1]; complete -C $argv[2]`,
    scripts.fish as string,
    line,
  ]);
  return offered.map((entry) => entry.split("\t")[0] as string);
}

describe("the scripts", () => {
  it("parse in their shells", () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const check = spawnSync(requireShell(shell), ["-n", scripts[shell] as string], { encoding: "utf8" });
      expect(check.status, `${shell}: ${check.stderr}`).toBe(0);
    }
  });

  it("refuses a shell it does not know, and needs one", async () => {
    const bad = await runLore(["completion", "powershell"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are bash, zsh, fish/);
    const none = await runLore(["completion"], { env });
    expect(none.code).toBe(2);
  });
});

describe.each([
  ["bash", (line: string) => bash(line.replace(/ $/, ' ""'))],
  ["zsh", (line: string) => zsh(line.replace(/ $/, ' ""'))],
  ["fish", fish],
] as const)("%s completion", (_shell, complete) => {
  it("offers the commands and subcommands", async () => {
    expect(await complete("lore ")).toEqual(
      expect.arrayContaining(["init", "sync", "search", "issues", "config", "project", "completion"]),
    );
    expect(await complete("lore sea")).toEqual(["search"]);
    expect((await complete("lore config ")).sort()).toEqual(["get", "path", "set", "unset"]);
    expect((await complete("lore project ")).sort()).toEqual(["add", "list", "remove"]);
    expect((await complete("lore completion ")).sort()).toEqual(["bash", "fish", "zsh"]);
  });

  it("offers a command's options and the global ones", async () => {
    const options = await complete("lore search --");
    expect(options).toEqual(
      expect.arrayContaining(["--mode", "--project", "--state", "--type", "--robot", "--config"]),
    );
    expect(options).not.toContain("--full");
    expect(await complete("lore sync --no-")).toEqual(expect.arrayContaining(["--no-docs", "--no-embed"]));
  });

  it("offers the values of --mode, --state, --type and --embedding-provider", async () => {
    expect((await complete("lore search --mode ")).sort()).toEqual(["hybrid", "lexical", "semantic"]);
    expect(await complete("lore issues --state c")).toEqual(["closed"]);
    expect((await complete("lore search --type ")).sort()).toEqual(["discussion", "issue", "mr"]);
    expect((await complete("lore init --embedding-provider ")).sort()).toEqual(["none", "ollama", "openai"]);
    // An option's value is skipped when finding what comes next.
    expect(await complete("lore search --label bug --mo")).toEqual(["--mode"]);
  });

  it("offers the configured projects for -p and project remove, read from the config", async () => {
    expect((await complete("lore sync -p ")).sort()).toEqual(["group/proj", "team/api"]);
    expect((await complete("lore issues --project t")).sort()).toEqual(["team/api"]);
    expect((await complete("lore project remove ")).sort()).toEqual(["group/proj", "team/api"]);
    expect(await complete(`lore --config ${join(home.dir, "none.json")} sync -p `)).toEqual([]);
  });

  it("offers config keys and the values a key takes", async () => {
    expect(await complete("lore config get gitlab.b")).toEqual(["gitlab.baseUrl"]);
    expect((await complete("lore config set embedding.provider ")).sort()).toEqual([
      "none",
      "ollama",
      "openai",
    ]);
  });
});
