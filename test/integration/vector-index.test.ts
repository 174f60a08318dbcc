// The vector index file beside the database, seen from the built binary: semantic search and
// `lore related` answer the same with it as without it, also after a surgical sync changed a few
// vectors without rebuilding it; a file too far behind the vectors is never trusted (and the next
// writer rebuilds it), and a damaged one never breaks a search. LORE_VECTOR_INDEX_MIN_CHUNKS lowers
// the corpus size from which lore keeps the file (10,000 chunks) to this test's dozen; at that size
// any change puts the file past the changes it takes on, unless LORE_VECTOR_INDEX_MAX_CHANGES says
// otherwise.

import { copyFileSync, existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.js";
import { refreshVectorIndex } from "../../src/embedding/vector-index/write.js";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeEmbedder, fakeVector, startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { prng } from "../support/generate.js";
import { configureLore } from "../support/scenario.js";
import { randomSet, seedVectorCorpus } from "../support/vector-sets.js";

let gl: FakeGitLab;
let embedder: FakeEmbedder;
let home: TempHome;
let proj: Json;
let indexFile: string;

const lore = (...args: string[]) =>
  runLore(["--robot", ...args], { env: { ...home.env, LORE_VECTOR_INDEX_MIN_CHUNKS: "1", ...extraEnv } });
let extraEnv: Record<string, string> = {};

const QUERIES = ["proxy timeout export", "zeppelin airships login"];

/** The robot output of every semantic search and a `lore related`, without the timing fields. */
async function answers(queries = QUERIES): Promise<unknown[]> {
  const runs = [
    ...queries.map((q) => lore("search", q, "--mode", "semantic", "-n", "5", "--explain")),
    lore("related", "issue", "1", "-p", "group/proj"),
  ];
  return (await Promise.all(runs)).map((run) => {
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const { data } = run.json();
    return JSON.parse(
      JSON.stringify(data, (key, value) => (/_ms$|age_seconds/.test(key) ? undefined : value)),
    );
  });
}

/** The change log's head in the database, and the position the index file was built at. */
function positions(): { database: bigint; file: bigint | undefined } {
  const db = new Database(home.dbPath, { readonly: true });
  try {
    const database = db
      .prepare("SELECT seq FROM sqlite_sequence WHERE name = 'vector_index_changes'")
      .safeIntegers()
      .pluck()
      .get() as bigint;
    const file = existsSync(indexFile) ? readFileSync(indexFile).readBigInt64LE(40) : undefined;
    return { database, file };
  } finally {
    db.close();
  }
}

/** The detail and actions of `lore doctor`'s embedding check. */
async function doctorSays(): Promise<{ detail: string; actions?: string[] }> {
  return (await lore("doctor")).json().data.checks.find((c: { name: string }) => c.name === "embedding");
}

beforeAll(async () => {
  gl = await startFakeGitLab({ startTime: "2024-01-01T00:00:00.000Z" });
  embedder = await startFakeEmbedder({ dimension: 256 });
  proj = gl.addProject({ path: "group/proj" });
  const alice = gl.user("alice");
  const issues: [string, string][] = [
    ["Export times out", "The nightly CSV export hits the proxy timeout at the gateway."],
    ["Gateway proxy drops CSV", "A nightly export through the proxy gateway ends in a timeout."],
    ["Dark mode palette", "Buttons use the wrong colours in the dark palette."],
    ["Flaky login spec", "The spec about zeppelin airships fails on Mondays."],
    ["Importer limits", "The importer hits a proxy limit when the export is large."],
    ["Login redirect loop", "After login the page redirects forever."],
  ];
  for (const [title, description] of issues) gl.addIssue(proj, { title, description, author: alice });
  home = makeTempHome();
  indexFile = `${home.dbPath}-vectors.i8`;
  await configureLore(
    home,
    gl,
    ["group/proj"],
    ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
  );
  const sync = await lore("sync");
  if (sync.code !== 0) throw new Error(sync.stdout + sync.stderr);
});
afterAll(async () => {
  await gl.close();
  await embedder.close();
  home.cleanup();
});

describe("the vector index file", () => {
  it("is written by the sync's embed stage, for the vectors the database holds", () => {
    const { database, file } = positions();
    expect(file).toBe(database);
  });

  it("gives the same semantic search and related results as the exact scan without it", async () => {
    const withIndex = await answers();
    const saved = readFileSync(indexFile);
    rmSync(indexFile);
    expect(await answers()).toEqual(withIndex);
    writeFileSync(indexFile, saved);
  });

  it("stays in use after a surgical sync re-embeds an issue, with the exact scan's answers", async () => {
    extraEnv = { LORE_VECTOR_INDEX_MAX_CHANGES: "20" };
    try {
      const before = readFileSync(indexFile);
      gl.updateIssue(proj, 5, { description: "The quokka telemetry harvester overflows its proxy buffer." });
      const sync = await lore("sync", "-p", "group/proj", "--issue", "5");
      expect(sync.code, sync.stdout + sync.stderr).toBe(0);
      // Not rebuilt: the file is as it was, behind the database by the re-embedded chunks.
      expect(readFileSync(indexFile).equals(before)).toBe(true);
      const { database, file } = positions();
      expect(database).toBeGreaterThan(file as bigint);
      const doctor = await doctorSays();
      expect(doctor.detail).toMatch(/vector index file current \(\d+ changes? since it was built\)/);
      expect(doctor.actions).toBeUndefined();
      const queries = [...QUERIES, "quokka telemetry harvester"];
      const withIndex = await answers(queries);
      expect((withIndex[2] as { results: { iid: number }[] }).results[0]).toMatchObject({ iid: 5 });
      rmSync(indexFile);
      expect(await answers(queries)).toEqual(withIndex);
      writeFileSync(indexFile, before);
    } finally {
      extraEnv = {};
    }
  });

  it("is not trusted past the changes it takes on, and the sync that changed them rebuilds it", async () => {
    const stale = `${indexFile}.stale`;
    copyFileSync(indexFile, stale);
    gl.updateIssue(proj, 3, { description: "The hyperloop toolbar contrast is unreadable." });
    const sync = await lore("sync");
    expect(sync.code, sync.stdout).toBe(0);
    const rebuilt = positions();
    expect(rebuilt.file).toBe(rebuilt.database);
    // The file from before the change, put back: searches must not use it.
    copyFileSync(stale, indexFile);
    rmSync(stale);
    expect(positions().file).not.toBe(rebuilt.database);
    const doctor = await doctorSays();
    expect(doctor).toMatchObject({
      ok: true,
      detail: expect.stringContaining("vector index file stale"),
      actions: ["lore embed"],
    });
    const [hit] = (await lore("search", "hyperloop toolbar", "--mode", "semantic")).json().data.results;
    expect(hit).toMatchObject({ iid: 3, project: "group/proj" });
    // Any writer of vectors brings it up to date, even with nothing to embed.
    const embed = await lore("embed");
    expect(embed.code, embed.stdout).toBe(0);
    expect(positions().file).toBe(positions().database);
    expect((await doctorSays()).detail).toMatch(/vector index file current$/);
  });

  it.each([
    ["truncated", () => truncateSync(indexFile, 1000)],
    [
      "damaged in its codes",
      () => {
        const bytes = readFileSync(indexFile);
        for (let i = bytes.length - 2000; i < bytes.length; i += 7) bytes[i] = 0x55;
        writeFileSync(indexFile, bytes);
      },
    ],
    ["emptied", () => writeFileSync(indexFile, "")],
  ])("%s, never breaks a search, and the next lore embed rebuilds it", async (_label, damage) => {
    const intact = readFileSync(indexFile);
    const exact = await answers();
    damage();
    expect(await answers()).toEqual(exact);
    expect((await lore("embed")).code).toBe(0);
    // Built from the same vectors, the file is the same again, byte for byte.
    expect(readFileSync(indexFile).equals(intact)).toBe(true);
  });
});

describe("a large index file", () => {
  // 60,000 chunks (above the 50,000 from which a second thread shares the scan) of 256 dimensions,
  // written straight into a configured mirror's database: 15 batches of codes.
  const CHUNKS = 60_000;
  let big: TempHome;
  beforeAll(async () => {
    big = makeTempHome();
    await configureLore(
      big,
      gl,
      ["group/proj"],
      ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
    );
    const db = openDatabase(big.dbPath);
    try {
      // Chunks embedded as the fake embedder embeds words, so that a query resembles a few of them.
      const text = (chunk: number) => `alpha${chunk % 997} beta${chunk % 89} gamma${chunk % 13}`;
      const set = randomSet(prng(9), 256);
      seedVectorCorpus(
        db,
        set,
        CHUNKS,
        4,
        (_, chunk) => Float32Array.from(fakeVector(text(chunk), 256)),
        "nomic-embed-text",
      );
      // The configured project (the seed names its project g/p).
      db.prepare("UPDATE projects SET path_with_namespace = 'group/proj' WHERE id = 1").run();
      db.prepare(
        `INSERT INTO document_embeddings (document_id, content_hash, model, chunks, embedded_at)
         SELECT id, content_hash, 'nomic-embed-text', 4, 'x' FROM documents`,
      ).run();
      expect(refreshVectorIndex(db)).toMatchObject({ status: "built", count: CHUNKS });
    } finally {
      db.close();
    }
  }, 120_000);
  afterAll(() => big.cleanup());

  it("is scanned on two threads once the second is up, with the answers of one thread; -v says so", async () => {
    // The second thread starts while the query is embedded (~50 ms): this round trip outlasts it.
    embedder.latencyMs = 1_500;
    try {
      const search = (env: Record<string, string>) =>
        runLore(["--robot", "-v", "search", "alpha42 beta42 gamma3", "--mode", "semantic", "-n", "10"], {
          env: { ...big.env, ...env },
        });
      const two = await search({});
      const one = await search({ LORE_VECTOR_SCAN_THREADS: "1" });
      // On one core a second thread could only compete with the search.
      const oneCore = await runLore(
        ["--robot", "-v", "search", "alpha42 beta42 gamma3", "--mode", "semantic", "-n", "10"],
        { env: big.env, cpus: "0" },
      );
      for (const run of [two, one, oneCore]) expect(run.code, run.stderr).toBe(0);
      expect(oneCore.stderr).toMatch(/semantic: vector index file, 60,000 chunks, scanned on 1 thread$/m);
      expect(two.stderr).toMatch(
        /semantic: vector index file, 60,000 chunks, scanned on 2 threads \(the second scanned \d+ of 15 batches\)/,
      );
      expect(one.stderr).toMatch(/semantic: vector index file, 60,000 chunks, scanned on 1 thread$/m);
      const results = (run: typeof two) =>
        JSON.parse(JSON.stringify(run.json().data, (key, value) => (/_ms$/.test(key) ? undefined : value)));
      expect(results(two).results).toHaveLength(10);
      expect(results(two)).toEqual(results(one));
      // lore related says the same of how it searched.
      const related = await runLore(["--robot", "-v", "related", "alpha42 beta42 gamma3"], { env: big.env });
      expect(related.code, related.stderr).toBe(0);
      expect(related.stderr).toMatch(/semantic: vector index file, 60,000 chunks, scanned on/);
    } finally {
      embedder.latencyMs = 0;
    }
  });
});
