// `npm run build`: type-checks with tsc, then bundles the CLI with esbuild into dist/cli/main.js
// (the package's bin). One bundle with code splitting starts far faster than ~150 separate ES
// modules (zod alone is ~100 files): each command's code stays in its own chunk, loaded only when
// that command runs. Native packages stay external; the SQL migrations are copied beside.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--noEmit"], {
  stdio: "inherit",
});
rmSync("dist", { recursive: true, force: true });
await build({
  // The doctor's integrity check runs in a worker thread, which needs a file of its own.
  entryPoints: ["src/cli/main.ts", "src/doctor/integrity-worker.ts"],
  outbase: "src",
  outdir: "dist",
  entryNames: "[dir]/[name]",
  // Chunks sit one level below dist/, like the entry, so paths relative to them are the same.
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  sourcemap: "linked",
  external: ["better-sqlite3", "sqlite-vec"],
  // commander is CommonJS: its require() of Node built-ins needs a real require in ES modules.
  banner: {
    js: 'import { createRequire as __loreRequire } from "node:module"; const require = __loreRequire(import.meta.url);',
  },
  // Where db/migrate.ts finds the .sql files from a file one level below dist/.
  // Likewise for the integrity worker's entry file.
  define: {
    __LORE_MIGRATIONS_DIR__: JSON.stringify("../db/migrations/"),
    __LORE_INTEGRITY_WORKER__: JSON.stringify("../doctor/integrity-worker.js"),
  },
  logLevel: "warning",
});
mkdirSync("dist/db/migrations", { recursive: true });
cpSync("src/db/migrations", "dist/db/migrations", { recursive: true });
chmodSync("dist/cli/main.js", 0o755);
