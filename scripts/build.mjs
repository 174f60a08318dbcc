// `npm run build`: type-checks with tsc, then bundles the CLI with esbuild into dist/cli/main.js
// (the package's bin). One bundle with code splitting starts far faster than ~150 separate ES
// modules (zod alone is ~100 files): each command's code stays in its own chunk, loaded only when
// that command runs. Native packages stay external; the SQL migrations are copied beside.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { writeKernelModule } from "./build-wasm.mjs";

/**
 * A hash of every source file and the lockfile: what the config cache's entries are made by (see
 * src/config/cache.ts). Any change to lore or its dependencies makes the next run validate again.
 */
function buildFingerprint() {
  const hash = createHash("sha256");
  const files = readdirSync("src", { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of [...files, "package-lock.json"]) hash.update(file).update(readFileSync(file));
  return hash.digest("hex").slice(0, 32);
}

/** The migrations the build copies, with the checksums src/db/migrate.ts checks databases against. */
function migrationChecksums() {
  return readdirSync("src/db/migrations")
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      file,
      checksum: createHash("sha256")
        .update(readFileSync(join("src/db/migrations", file), "utf8"))
        .digest("hex"),
    }));
}

// The vector index's WebAssembly kernels, assembled from their .wat source into a TypeScript module.
await writeKernelModule();
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
    __LORE_BUILD_FINGERPRINT__: JSON.stringify(buildFingerprint()),
    __LORE_MIGRATIONS__: JSON.stringify(migrationChecksums()),
  },
  logLevel: "warning",
});
mkdirSync("dist/db/migrations", { recursive: true });
cpSync("src/db/migrations", "dist/db/migrations", { recursive: true });
chmodSync("dist/cli/main.js", 0o755);
