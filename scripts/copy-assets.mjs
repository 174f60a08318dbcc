// Copies the SQL migrations next to the compiled code (tsc copies only .ts output).
import { cpSync, mkdirSync } from "node:fs";

mkdirSync("dist/db/migrations", { recursive: true });
cpSync("src/db/migrations", "dist/db/migrations", { recursive: true });
