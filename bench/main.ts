// `npm run bench`: every benchmark in turn (`--quick` for a small, fast variant). Figures are printed
// with their targets; a missed target is reported, never turned into a failing exit code.

import { benchAgent } from "./agent.js";
import { QUICK } from "./harness.js";
import { benchHistory } from "./history.js";
import { benchIntegrity } from "./integrity.js";
import { benchLists } from "./lists.js";
import { benchPeople } from "./people.js";
import { benchQuality } from "./quality.js";
import { benchSearch } from "./search.js";
import { benchStartup } from "./startup.js";
import { benchSync } from "./sync.js";
import { benchVectors } from "./vectors.js";

console.log(`# lore benchmarks${QUICK ? " (quick)" : ""} — node ${process.version}`);
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
if (!only || only === "startup") await benchStartup();
if (!only || only === "sync") await benchSync();
if (!only || only === "search") await benchSearch();
if (!only || only === "history") await benchHistory();
if (!only || only === "lists") await benchLists();
if (!only || only === "vectors") await benchVectors();
if (!only || only === "integrity") await benchIntegrity();
if (!only || only === "people") await benchPeople();
if (!only || only === "quality") await benchQuality();
if (!only || only === "agent") await benchAgent();
