// Compiles the benchmarks, the demo and the test servers they use into dist-bench/.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";

execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.bench.json"], {
  stdio: "inherit",
});
mkdirSync("dist-bench/src/db/migrations", { recursive: true });
cpSync("src/db/migrations", "dist-bench/src/db/migrations", { recursive: true });
