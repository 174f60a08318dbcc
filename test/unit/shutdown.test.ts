import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, expect, it } from "vitest";
import { isLoreError } from "../../src/core/errors.js";
import { ShutdownSignal } from "../../src/core/shutdown.js";

it("turns a first request into an aborted signal carrying CANCELLED", () => {
  const shutdown = new ShutdownSignal(() => {
    throw new Error("must not exit");
  });
  expect(shutdown.signal.aborted).toBe(false);
  shutdown.request();
  expect(shutdown.signal.aborted).toBe(true);
  expect(isLoreError(shutdown.signal.reason, "CANCELLED")).toBe(true);
});

const dir = mkdtempSync(join(tmpdir(), "lore-shutdown-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Runs ShutdownSignal (bundled on the fly: dist holds only the CLI bundle) in a child process and
// sends it real signals.
it("stops gracefully on the first SIGINT and exits 130 with cleanup on the second", async () => {
  const module = join(dir, "shutdown.mjs");
  await build({
    entryPoints: [resolve(import.meta.dirname, "../../src/core/shutdown.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: module,
    logLevel: "warning",
  });
  const script = `
    import { ShutdownSignal } from ${JSON.stringify(module)};
    const s = new ShutdownSignal(undefined, () => process.stdout.write("first\\n")).install();
    s.onCleanup(() => process.stdout.write("cleanup\\n"));
    s.signal.addEventListener("abort", () => process.stdout.write("aborted\\n"));
    process.stdout.write("ready\\n");
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const seen = (text: string) =>
    new Promise<void>((done) => {
      const check = () => (out.includes(text) ? done() : setTimeout(check, 10));
      check();
    });
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  await seen("ready");
  child.kill("SIGINT");
  await seen("aborted");
  expect(out).toContain("first");
  expect(child.exitCode).toBeNull();
  child.kill("SIGINT");
  const code = await new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
  expect(code).toBe(130);
  expect(out).toContain("cleanup");
});
