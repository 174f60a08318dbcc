// `npm run demo`: lore end to end, offline. A fake GitLab with generated data and a fake embedding
// server run on 127.0.0.1; lore runs in a temporary home, so nothing of yours is read or written.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startFakeEmbedder } from "../test/support/fake-embedder.js";
import { startFakeGitLab } from "../test/support/fake-gitlab.js";
import { generate } from "../test/support/generate.js";

const LORE = resolve(import.meta.dirname, "../../dist/cli/main.js");
const home = mkdtempSync(join(tmpdir(), "lore-demo-"));
const env = {
  PATH: process.env.PATH ?? "",
  HOME: home,
  XDG_CONFIG_HOME: join(home, ".config"),
  XDG_DATA_HOME: join(home, ".local", "share"),
  GITLAB_TOKEN: "glpat-demo-token",
  ...(process.env.NO_COLOR !== undefined ? { NO_COLOR: process.env.NO_COLOR } : {}),
};

// The fake servers live in this process, so lore must run asynchronously (spawnSync would deadlock).
async function lore(args: string[], maxLines = 40): Promise<void> {
  console.log(`\n$ lore ${args.map((a) => (/[\s"*]/.test(a) ? JSON.stringify(a) : a)).join(" ")}`);
  const child = spawn(process.execPath, [LORE, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    output += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    output += d;
  });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  const lines = output.trimEnd().split("\n");
  console.log(lines.slice(0, maxLines).join("\n"));
  if (lines.length > maxLines) console.log(`… (${lines.length - maxLines} more lines)`);
  if (code !== 0) console.log(`(exit ${code})`);
}

const gl = await startFakeGitLab({ token: "glpat-demo-token" });
const embedder = await startFakeEmbedder({ dimension: 256 });
try {
  const data = generate(gl, { issues: 300, mrs: 60, notes: 2_500, seed: 2026 });
  console.log(
    `Fake GitLab at ${gl.url}: group/proj with ${data.issues.length} issues, ${data.mrs.length} merge requests, ${data.notes} notes.`,
  );
  console.log(`Fake Ollama-compatible embedding server at ${embedder.url}. Temporary home: ${home}`);

  await lore([
    "init",
    "--gitlab-url",
    gl.url,
    "--project",
    "group/proj",
    "--embedding-provider",
    "ollama",
    "--embedding-url",
    embedder.url,
  ]);
  // The token belongs to alice: lore doctor records her as gitlab.username for lore me.
  gl.setCurrentUser("alice");
  await lore(["doctor"]);
  await lore(["sync"]);
  await lore(["status"]);
  await lore(["issues", "-n", "5"]);
  await lore(["issues", "42"], 30);
  await lore(["mrs", "-n", "3", "--state", "all"]);
  await lore(["mrs", "7"], 40);
  await lore(["search", "login times out", "-n", "3"]);
  await lore(["search", "memory leak after upgrade", "--mode", "semantic", "-n", "3"]);
  await lore(["search", "why does the login time out behind the proxy", "--explain", "-n", "3"]);
  await lore(["related", "issue", "42", "-n", "5"]);
  const hot = data.paths[0] ?? "README.md";
  await lore(["who", `${hot.slice(0, hot.indexOf("/") + 1)}`, "-n", "5"]);
  await lore(["who", "@bob"], 30);
  await lore(["file-history", hot, "-n", "5"]);
  await lore(["trace", `${hot}:100`, "-n", "3"], 30);
  await lore(["me"], 30);
  await lore(["timeline", "issue:42", "--depth", "2", "-n", "25"], 45);
  await lore(["notes", "--author", "alice", "-n", "3"], 20);

  console.log("\n— Meanwhile, on GitLab, someone retitles issue #42 and comments on it —");
  const issue = data.issues[41];
  if (issue) {
    gl.updateIssue(data.project, 42, {
      title: "Cache leaks memory after the 2.0 upgrade",
      labels: ["bug", "regression"],
    });
    gl.addDiscussion(issue, [
      { body: "Bisected it: the new LRU never evicts. @alice can you confirm?", author: gl.user("carol") },
    ]);
  }
  await lore(["sync", "-p", "group/proj", "--issue", "42", "--dry-run"]);
  await lore(["sync", "-p", "group/proj", "--issue", "42"]);
  await lore(["issues", "42"], 60);
  await lore(["search", "LRU never evicts", "-n", "2"]);
  await lore(["me"], 30);
  await lore(["--robot", "sync", "-p", "group/proj", "--issue", "42", "--issue", "9999"], 5);
} finally {
  await gl.close();
  await embedder.close();
  rmSync(home, { recursive: true, force: true });
}
