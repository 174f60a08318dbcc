// Retrieval as users meet it: OR-ranked lexical search, semantic search over the prose (not the
// metadata header), --explain, snippets from the body, FTS consistency, and `lore related`.

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempHome, runLore, type TempHome } from "../support/cli.js";
import { type FakeEmbedder, startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { registryMismatches } from "../support/registry-shapes.js";
import { configureLore, editConfig, omitKeys, query } from "../support/scenario.js";

let gl: FakeGitLab;
let embedder: FakeEmbedder;
let home: TempHome;
let proj: Json;
let other: Json;

const lore = (...args: string[]) => runLore(["--robot", ...args], { env: home.env });

interface Result {
  source_type: string;
  project: string;
  iid: number;
  title: string;
  snippet: string;
  score: number;
  explain?: Record<string, unknown>;
}
const results = async (...args: string[]): Promise<Result[]> => {
  const run = await lore("search", ...args);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  return run.json().data.results as Result[];
};

/** FTS5's own check that the index matches its content table (documents). */
function ftsIntegrity(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    db.prepare("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)").run();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  gl = await startFakeGitLab({ startTime: "2024-01-01T00:00:00.000Z" });
  // 256 buckets of hashed words: sparse vectors, as a hashing embedder makes them.
  embedder = await startFakeEmbedder({ dimension: 256 });
  proj = gl.addProject({ path: "group/proj" });
  other = gl.addProject({ path: "team/api" });
  const alice = gl.user("alice");
  const add = (project: Json, title: string, description: string, labels: string[], state?: string) => {
    const issue = gl.addIssue(project, { title, description, labels, author: alice });
    if (state) gl.updateIssue(project, issue.iid as number, { state });
    return issue;
  };
  // #1–#6 in group/proj. The six-word query "export proxy timeout nightly csv gateway" has all six
  // words in #1 and #2, four in #3, two in #4, none in #5.
  add(proj, "Export times out", "The nightly CSV export hits the proxy timeout at the gateway.", [
    "bug",
    "export",
  ]);
  add(proj, "Gateway proxy drops CSV", "A nightly export through the proxy gateway ends in a timeout.", [
    "bug",
  ]);
  add(
    proj,
    "Proxy settings for exports",
    "Export jobs write CSV through the proxy; the timeout is 30 s at night.",
    ["bug", "export"],
    "closed",
  );
  add(proj, "Timeout in the importer", "The importer hits a proxy limit.", ["importer"]);
  add(proj, "Dark mode palette", "Buttons use the wrong colours.", ["ui"]);
  add(proj, "Flaky login spec", "The spec about zeppelin airships fails on Mondays.", ["ci"]);
  // team/api: one issue close to #1 in wording.
  add(other, "CSV export timeout behind proxy", "The nightly export of CSV files times out at the proxy.", [
    "export",
  ]);
  gl.tick(86_400_000);
  home = makeTempHome();
  await configureLore(
    home,
    gl,
    ["group/proj", "team/api"],
    ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
  );
  editConfig(home, "embedding", { maxRetries: 0 });
  const sync = await lore("sync");
  if (sync.code !== 0) throw new Error(sync.stdout + sync.stderr);
});
afterAll(async () => {
  await gl.close();
  await embedder.close();
  home.cleanup();
});

describe("what is indexed and embedded", () => {
  it("embeds titles and prose, never the metadata header", () => {
    const inputs = embedder.requests.flatMap((r) => r.input);
    expect(inputs.length).toBeGreaterThanOrEqual(7);
    for (const text of inputs) {
      expect(text).not.toMatch(/State: |Labels: |URL: |Created: /);
    }
    expect(inputs).toContain(
      "Export times out\n\nThe nightly CSV export hits the proxy timeout at the gateway.",
    );
  });

  it("keeps the full-text index equal to its documents (FTS5 integrity-check)", () => {
    expect(() => ftsIntegrity(home.dbPath)).not.toThrow();
  });

  it("re-embeds nothing when only metadata changes, and the changed text when prose changes", async () => {
    gl.updateIssue(proj, 5, { labels: ["ui", "accessibility"] });
    embedder.clearRequests();
    const sync = await lore("sync");
    expect(sync.json().data.docs_regenerated).toBeGreaterThanOrEqual(1);
    expect(embedder.requests).toHaveLength(0);
    expect((await lore("status")).json().data.projects[0]).toMatchObject({ embedded: 6, documents: 6 });
    expect(() => ftsIntegrity(home.dbPath)).not.toThrow();
  });
});

describe("lexical ranking", () => {
  it("ranks documents with all six terms first, then those with most terms", async () => {
    const run = await lore(
      "search",
      "export proxy timeout nightly csv gateway",
      "--mode",
      "lexical",
      "-n",
      "50",
    );
    const data = run.json().data;
    expect(data.matched_all_terms).toBe(2);
    expect(data.query_terms).toBe(6);
    const keys = data.results.map((r: Result) => `${r.project}#${r.iid}`);
    expect(keys.slice(0, 2).sort()).toEqual(["group/proj#1", "group/proj#2"]);
    // The four-term issue comes before the two-term one; the one with none is absent.
    expect(keys.indexOf("group/proj#3")).toBeGreaterThan(1);
    expect(keys.indexOf("group/proj#3")).toBeLessThan(keys.indexOf("group/proj#4"));
    expect(keys).not.toContain("group/proj#5");
    const scores = data.results.map((r: Result) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("answers a question in natural language lexically", async () => {
    const hits = await results("why does the export time out behind the proxy", "--mode", "lexical");
    expect(hits.length).toBeGreaterThanOrEqual(3);
    expect(hits.map((r) => r.title)).toContain("Export times out");
  });

  it("keeps exclusions and phrases strict", async () => {
    const excluded = await results("export proxy -gateway", "--mode", "lexical", "-p", "group/proj");
    expect(excluded.map((r) => r.iid)).toEqual([3, 4]);
    const phrase = await results('"proxy timeout" nightly', "--mode", "lexical", "-p", "group/proj");
    expect(phrase[0]?.iid).toBe(1);
  });

  it("says in human output how many matched all terms", async () => {
    const run = await runLore(["search", "export proxy timeout nightly csv gateway", "--mode", "lexical"], {
      env: home.env,
    });
    expect(run.stdout).toContain("2 matched all 6 terms");
  });

  it("takes snippets from the prose, never the header", async () => {
    const hits = await results("bug", "--mode", "lexical");
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) expect(hit.snippet).not.toMatch(/Labels:|State:|URL:/);
  });
});

describe("semantic search", () => {
  it("puts the document with a rare query word first", async () => {
    const hits = await results("zeppelin", "--mode", "semantic");
    expect(hits[0]).toMatchObject({ iid: 6, project: "group/proj", source_type: "issue" });
    // Documents with nothing in common with the query are not matches.
    expect(hits.every((h) => h.score > 0)).toBe(true);
  });

  it("finds an issue by words only its rewritten description has, after a surgical sync", async () => {
    gl.updateIssue(proj, 5, { description: "Contrast of the hyperloop toolbar is unreadable." });
    const surgical = await lore("sync", "-p", "group/proj", "--issue", "5");
    expect(surgical.code, surgical.stdout).toBe(0);
    const hits = await results("hyperloop toolbar", "--mode", "semantic");
    expect(hits[0]).toMatchObject({ iid: 5, project: "group/proj" });
    expect(hits[0]?.snippet).toContain("hyperloop");
  });
});

describe("--explain", () => {
  it("explains each hybrid result with both ranks, scores and the RRF score", async () => {
    const hits = await results("nightly export proxy", "--explain");
    expect(hits.length).toBeGreaterThan(0);
    const keys = ["lexical_rank", "lexical_score", "semantic_rank", "similarity", "rrf_score"];
    for (const hit of hits) for (const key of keys) expect(hit.explain).toHaveProperty(key);
    const both = hits.find((h) => h.explain?.lexical_rank !== null && h.explain?.semantic_rank !== null);
    expect(both?.explain).toMatchObject({
      lexical_rank: expect.any(Number),
      lexical_score: expect.any(Number),
      semantic_rank: expect.any(Number),
      similarity: expect.any(Number),
      rrf_score: both?.score,
    });
    expect((await results("nightly export proxy"))[0]).not.toHaveProperty("explain");
  });

  it("nulls what a mode did not compute", async () => {
    const [lexical] = await results("nightly export", "--mode", "lexical", "--explain");
    expect(lexical?.explain).toMatchObject({ semantic_rank: null, similarity: null, rrf_score: null });
    const [semantic] = await results("nightly export", "--mode", "semantic", "--explain");
    expect(semantic?.explain).toMatchObject({ lexical_rank: null, lexical_score: null, rrf_score: null });
  });
});

describe("lore related", () => {
  it("lists similar issues, never the entity itself, with shared labels", async () => {
    const run = await lore("related", "issue", "1", "-p", "group/proj");
    expect(run.code, run.stdout).toBe(0);
    const data = run.json().data;
    expect(data.source).toMatchObject({ source_type: "issue", project: "group/proj", iid: 1 });
    const keys = data.results.map((r: Result) => `${r.project}#${r.iid}`);
    expect(keys).not.toContain("group/proj#1");
    expect(keys.length).toBeGreaterThan(0);
    expect(data.results.every((r: Result) => r.project === "group/proj")).toBe(true);
    const second = data.results.find((r: { iid: number }) => r.iid === 2);
    expect(second).toMatchObject({ shared_labels: ["bug"], similarity: expect.any(Number) });
    // The field registry (--fields, robot-docs, MCP) is what it prints, freshness included.
    expect(registryMismatches("related", "default", data)).toEqual([]);
  });

  it("respects --state and reaches other projects without -p", async () => {
    const closed = (await lore("related", "issue", "2", "-p", "group/proj", "--state", "closed")).json().data;
    expect(closed.results.map((r: Result) => r.iid)).toEqual([3]);
    const everywhere = (await lore("related", "issue", "2")).json().data;
    expect(everywhere.results.map((r: Result) => `${r.project}#${r.iid}`)).toContain("team/api#1");
    expect((await lore("related", "mr", "1", "-p", "team/api")).code).toBe(6);
  });

  it("relates a free text", async () => {
    const run = await lore("related", "csv export proxy timeout", "-n", "3");
    expect(run.code).toBe(0);
    expect(run.json().data.source).toBeNull();
    expect(run.json().data.results).toHaveLength(3);
    expect(registryMismatches("related", "default", run.json().data)).toEqual([]);
    const minimal = await lore("related", "csv export proxy timeout", "-n", "3", "--fields", "minimal");
    for (const row of minimal.json().data.results)
      expect(Object.keys(row)).toEqual(["source_type", "project", "iid", "title", "similarity"]);
  });

  it("names the surgical sync for an entity not in the mirror", async () => {
    const run = await lore("related", "issue", "99", "-p", "group/proj");
    expect(run.code).toBe(6);
    expect(run.json().error).toMatchObject({
      code: "NOT_IN_MIRROR",
      actions: ["lore sync -p group/proj --issue 99"],
    });
  });

  it("takes an issue or MR as timeline does: a web URL, issue:IID, a full reference", async () => {
    // age_seconds moves with the clock between runs; everything else must be the same.
    const ageless = <T>(data: T) => omitKeys(data, ["age_seconds"]);
    const byWords = ageless((await lore("related", "issue", "1", "-p", "group/proj")).json().data);
    const url = `${gl.url}/group/proj/-/issues/1`;
    for (const args of [[url], ["issue:1"], ["group/proj#1"], ["i:1"]]) {
      const run = await lore("related", ...args, "-p", "proj");
      expect(run.code, `${args.join(" ")}: ${run.stdout}`).toBe(0);
      expect(ageless(run.json().data), args.join(" ")).toEqual(byWords);
    }
    // A URL or full reference names its project, so #1 is not ambiguous without -p; the results
    // come from every project, as for any target without -p.
    for (const target of [url, "group/proj#1"]) {
      const everywhere = ageless((await lore("related", target)).json().data);
      expect(everywhere.source).toEqual(byWords.source);
      expect(everywhere.results.map((r: Result) => `${r.project}#${r.iid}`)).toContain("team/api#1");
    }
    expect((await lore("related", "issue", "1")).json().error.code).toBe("USAGE");
    const contradiction = await lore("related", url, "-p", "team/api");
    expect(contradiction.code).toBe(2);
    expect(contradiction.json().error.message).toBe(`${url} is in group/proj, but -p names team/api`);
    const missing = await lore("related", `${gl.url}/team/api/-/issues/99`);
    expect(missing.code).toBe(6);
    expect(missing.json().error.actions).toEqual(["lore sync -p team/api --issue 99"]);
  });

  it("rejects a target without an IID as USAGE", async () => {
    expect((await lore("related", "issue")).code).toBe(2);
    expect((await lore("related", "mr", "0")).code).toBe(2);
  });
});

describe("lore related without embeddings", () => {
  it("exits EMBEDDING (10) and says how to get them", async () => {
    const bare = makeTempHome();
    try {
      await configureLore(bare, gl, ["group/proj"]);
      expect((await runLore(["--robot", "sync"], { env: bare.env })).code).toBe(0);
      const run = await runLore(["--robot", "related", "issue", "1"], { env: bare.env });
      expect(run.code).toBe(10);
      expect(run.json().error.code).toBe("EMBEDDING");
      expect(run.json().error.suggestion).toContain("lore embed");
      expect(query(bare.dbPath, "SELECT COUNT(*) AS n FROM documents")).toEqual([{ n: 6 }]);
    } finally {
      bare.cleanup();
    }
  });
});
