import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, makeTempHome, runLore, spawnLore, type TempHome } from "../support/cli.js";
import { type FakeEmbedder, startFakeEmbedder } from "../support/fake-embedder.js";
import { type FakeGitLab, type Json, startFakeGitLab } from "../support/fake-gitlab.js";
import { configureLore, editConfig, query } from "../support/scenario.js";

let gl: FakeGitLab;
let embedder: FakeEmbedder;
let home: TempHome;
let project: Json;
let issues: Json[];

const env = () => home.env;
const lore = (...args: string[]) => runLore(["--robot", ...args], { env: env() });

const setEmbedding = (changes: Record<string, unknown>) => editConfig(home, "embedding", changes);

beforeEach(async () => {
  gl = await startFakeGitLab();
  embedder = await startFakeEmbedder({ dimension: 256 });
  project = gl.addProject({ path: "group/proj" });
  const topics = [
    ["Database migration fails on startup", "The schema migration crashes when the database file is locked."],
    ["Dark mode colours are wrong", "Buttons in dark mode use the light palette colours."],
    ["Export to CSV drops rows", "Exporting a report to CSV loses the last rows of the table."],
    ["Login page slow", "The login page takes ten seconds to render the form."],
  ];
  issues = [];
  for (const [title = "", description = ""] of topics) {
    const issue = gl.addIssue(project, {
      title,
      description,
      labels: title.startsWith("Dark") ? ["ui"] : ["backend"],
    });
    gl.addDiscussion(issue, [`A comment about ${title.toLowerCase()}`]);
    issues.push(issue);
  }
  home = makeTempHome();
  await configureLore(
    home,
    gl,
    ["group/proj"],
    ["--embedding-provider", "ollama", "--embedding-url", embedder.url],
  );
  setEmbedding({ batchSize: 3, concurrency: 2, maxRetries: 0 });
});
afterEach(async () => {
  await gl.close();
  await embedder.close();
  home.cleanup();
});

describe("embedding in lore sync", () => {
  it("embeds new documents in batches and skips unchanged chunks on the next run", async () => {
    const sync = await lore("sync");
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.json().data.docs_embedded).toBe(8);
    expect(embedder.requests.every((r) => r.route === "ollama" && r.model === "nomic-embed-text")).toBe(true);
    expect(embedder.requests.map((r) => r.input.length).sort()).toEqual([2, 3, 3]);
    const status = await lore("status");
    expect(status.json().data.projects[0]).toMatchObject({ documents: 8, embedded: 8 });

    embedder.clearRequests();
    const again = await lore("embed");
    expect(again.code).toBe(0);
    expect(again.json().data.counters).toMatchObject({ docs_embedded: 0, chunks_embedded: 0 });
    expect(embedder.requests).toHaveLength(0);
  });

  it("embeds several write groups with the next one queued: each chunk once, never above the concurrency", async () => {
    // 150 more issues: 158 documents, three groups of 64 (batch 3 × concurrency 2 × 4, at least 64).
    for (let i = 0; i < 150; i++)
      gl.addIssue(project, { title: `Queue item ${i}`, description: `Work ${i}` });
    embedder.latencyMs = 20;
    const sync = await lore("sync");
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.json().data.docs_embedded).toBe(158);
    // Two requests at a time, while a later group is queued behind the one being awaited: never more.
    expect(embedder.maxInFlight).toBe(2);
    const sent = embedder.requests.flatMap((r) => r.input);
    expect(sent).toHaveLength(158);
    expect(new Set(sent).size).toBe(158);
    const db = new Database(home.dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) FROM document_embeddings").pluck().get()).toBe(158);
    } finally {
      db.close();
    }
  });

  it("re-embeds only what changed", async () => {
    expect((await lore("sync")).code).toBe(0);
    embedder.clearRequests();
    gl.updateIssue(project, 3, { description: "Exporting to CSV now also duplicates the header row." });
    const sync = await lore("sync");
    expect(sync.json().data.docs_embedded).toBe(1);
    expect(embedder.requests.flatMap((r) => r.input)).toEqual([
      expect.stringContaining("duplicates the header row"),
    ]);
  });

  it("warns and still succeeds when the provider is down; lore embed then exits 10", async () => {
    await embedder.close();
    const sync = await lore("sync");
    expect(sync.code).toBe(0);
    expect(sync.json().data.docs_regenerated).toBe(8);
    expect(sync.json().data.docs_embedded).toBe(0);
    expect(sync.json().data.warnings.join(" ")).toContain("Embedding skipped");
    // The run record keeps the warning too, as it does for surgical runs.
    const runs = (await lore("status")).json().data.runs;
    expect(runs[0]).toMatchObject({ mode: "incremental", status: "succeeded" });
    expect(runs[0].warnings.join(" ")).toContain("Embedding skipped");
    const search = await lore("search", "migration");
    expect(search.json().data.mode).toBe("lexical");
    expect(search.json().data.results.length).toBeGreaterThan(0);
    const embed = await lore("embed");
    expect(embed.code).toBe(10);
    expect(embed.json().error.code).toBe("EMBEDDING");
    expect(embed.json().error.suggestion).toContain("running");
    embedder = await startFakeEmbedder();
  });

  it("suggests pulling a missing model", async () => {
    setEmbedding({ model: "no-such-model" });
    await lore("sync", "--no-embed");
    const embed = await lore("embed");
    expect(embed.code).toBe(10);
    expect(embed.json().error.suggestion).toContain("ollama pull no-such-model");
  });
});

describe("model changes", () => {
  it("detects another model and recovers with lore embed --all", async () => {
    expect((await lore("sync")).code).toBe(0);
    setEmbedding({ model: "text-embedding-3-small" });
    const embed = await lore("embed");
    expect(embed.code).toBe(10);
    expect(embed.json().error.message).toContain("nomic-embed-text");
    expect(embed.json().error.suggestion).toContain("lore embed --all");
    const search = await lore("search", "migration", "--mode", "semantic");
    expect(search.code).toBe(10);
    embedder.dimension = 32;
    const all = await lore("embed", "--all");
    expect(all.code, all.stdout).toBe(0);
    expect(all.json().data.counters.docs_embedded).toBe(8);
    expect(query(home.dbPath, "SELECT model, dimension FROM embedding_meta")).toEqual([
      { model: "text-embedding-3-small", dimension: 32 },
    ]);
    expect((await lore("search", "database migration", "--mode", "semantic")).code).toBe(0);
  });
});

describe("semantic and hybrid search", () => {
  beforeEach(async () => {
    const sync = await lore("sync");
    if (sync.code !== 0) throw new Error(sync.stdout);
  });

  it("orders semantic results by vector similarity", async () => {
    const result = await lore("search", "dark mode palette", "--mode", "semantic", "--type", "issue");
    expect(result.code, result.stdout).toBe(0);
    const data = result.json().data;
    expect(data.mode).toBe("semantic");
    expect(data.results[0]).toMatchObject({ title: "Dark mode colours are wrong", source_type: "issue" });
    const scores = data.results.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("defaults to hybrid when embeddings exist, fusing both rankings", async () => {
    const result = await lore("search", "export csv rows");
    const data = result.json().data;
    expect(data.mode).toBe("hybrid");
    expect(data.mode_reason).toContain("embeddings exist");
    expect(data.results[0].title).toBe("Export to CSV drops rows");
    const lexical = (await lore("search", "export csv rows", "--mode", "lexical")).json().data;
    expect(lexical.mode).toBe("lexical");
  });

  it("applies filters in every mode", async () => {
    for (const mode of ["lexical", "semantic", "hybrid"]) {
      const ui = (await lore("search", "dark mode colours", "--mode", mode, "--label", "ui")).json().data
        .results;
      expect(ui.length, mode).toBeGreaterThan(0);
      expect(
        ui.every((r: { title: string }) => r.title === "Dark mode colours are wrong"),
        mode,
      ).toBe(true);
      const discussions = (await lore("search", "comment", "--mode", mode, "--type", "discussion")).json()
        .data.results;
      expect(discussions.length, mode).toBeGreaterThan(0);
      expect(
        discussions.every((r: { source_type: string }) => r.source_type === "discussion"),
        mode,
      ).toBe(true);
      const closed = (await lore("search", "login", "--mode", mode, "--state", "closed")).json().data.results;
      expect(closed, mode).toEqual([]);
    }
  });

  it("falls back to lexical with a warning when the provider fails during a hybrid search", async () => {
    embedder.fail(500);
    const result = await lore("search", "login page");
    expect(result.code).toBe(0);
    expect(result.json().data).toMatchObject({
      mode: "lexical",
      mode_reason: expect.stringContaining("fallback"),
    });
    expect(result.json().data.warnings).toHaveLength(1);
  });
});

describe("scoped embedding in surgical sync", () => {
  it("embeds only the refreshed entity's documents; a provider failure is a warning", async () => {
    expect((await lore("sync")).code).toBe(0);
    gl.updateIssue(project, 2, { description: "Dark mode also breaks the settings page." });
    gl.updateIssue(project, 4, { description: "Login page now takes twenty seconds." });
    embedder.clearRequests();
    const surgical = await lore("sync", "--issue", "2");
    expect(surgical.code, surgical.stderr).toBe(0);
    expect(surgical.json().data.counters).toMatchObject({ docs_regenerated: 1, docs_embedded: 1 });
    expect(surgical.json().data.stages.map((s: { name: string }) => s.name)).toEqual([
      "preflight",
      "fetch",
      "ingest",
      "docs",
      "embed",
    ]);
    const inputs = embedder.requests.flatMap((r) => r.input);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toContain("settings page");
    // Issue 4 changed remotely but was not requested: nothing of it was fetched or embedded.
    expect(query(home.dbPath, "SELECT description FROM issues WHERE iid = 4")).toEqual([
      { description: "The login page takes ten seconds to render the form." },
    ]);

    embedder.fail("reset");
    gl.updateIssue(project, 2, { description: "Dark mode breaks the settings page and the profile page." });
    const down = await lore("sync", "--issue", "2");
    expect(down.code).toBe(0);
    expect(down.json().data.counters.docs_embedded).toBe(0);
    expect(down.json().data.warnings.join(" ")).toContain("Embedding skipped");
    const db = new Database(home.dbPath, { readonly: true });
    const stale = db
      .prepare(
        "SELECT COUNT(*) AS n FROM documents d JOIN document_embeddings e ON e.document_id = d.id WHERE e.content_hash <> d.content_hash",
      )
      .get();
    db.close();
    expect(stale).toEqual({ n: 1 });
  });
});

describe("beside another lore process", () => {
  it("skips documents deleted or changed while their vectors were computed", async () => {
    expect((await lore("sync", "--no-embed")).code).toBe(0);
    const [{ id: noteId }] = query<{ id: number }>(
      home.dbPath,
      "SELECT n.id FROM notes n JOIN discussions d ON d.id = n.discussion_id JOIN issues i ON i.id = d.issue_id WHERE i.iid = 1",
    ) as [{ id: number }];
    const [{ id: threadDoc }] = query<{ id: number }>(
      home.dbPath,
      "SELECT id FROM documents WHERE source_type = 'discussion' AND iid = 1",
    ) as [{ id: number }];
    embedder.latencyMs = 1_000;
    const embed = collect(spawnLore(["--robot", "embed"], { env: env() }));
    while (embedder.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    // While the provider answers, a surgical sync deletes issue 1's only thread and rewrites #2.
    gl.deleteNote(issues[0] as Json, noteId);
    gl.updateIssue(project, 2, { description: "Dark mode now also breaks the sidebar." });
    const surgical = await lore("sync", "--issue", "1", "--issue", "2", "--no-embed");
    expect(surgical.code, surgical.stderr).toBe(0);
    const result = await embed;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(
      query(home.dbPath, "SELECT COUNT(*) AS n FROM embedding_chunks WHERE document_id = ?", threadDoc),
    ).toEqual([{ n: 0 }]);
    // No vectors of the old text are recorded as current: the changed documents are still pending.
    const stale = `SELECT COUNT(*) AS n FROM documents d JOIN document_embeddings e ON e.document_id = d.id
                   WHERE e.content_hash <> d.content_hash`;
    expect(query(home.dbPath, stale)).toEqual([{ n: 0 }]);
    embedder.latencyMs = 0;
    const again = await lore("embed");
    expect(again.code).toBe(0);
    expect(again.json().data.counters.docs_embedded).toBeGreaterThanOrEqual(2);
    expect(
      query(
        home.dbPath,
        "SELECT COUNT(*) AS n FROM documents d LEFT JOIN document_embeddings e ON e.document_id = d.id WHERE e.document_id IS NULL",
      ),
    ).toEqual([{ n: 0 }]);
  });
});

describe("cancellation", () => {
  it("stops a surgical sync cleanly during the embed stage", async () => {
    expect((await lore("sync", "--no-embed")).code).toBe(0);
    gl.updateIssue(project, 1, { description: "The migration now also fails on read-only disks." });
    embedder.latencyMs = 3_000;
    const child = spawnLore(["--robot", "sync", "--issue", "1"], { env: env() });
    const done = collect(child);
    while (embedder.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.json().error).toMatchObject({ code: "CANCELLED", details: { phase: "embed" } });
    expect(query(home.dbPath, "SELECT status, phase FROM sync_runs ORDER BY id DESC LIMIT 1")).toEqual([
      { status: "cancelled", phase: "embed" },
    ]);
    // Everything before the embed stage is stored: the entity, its threads, its regenerated document.
    expect(query(home.dbPath, "SELECT description FROM issues WHERE iid = 1")).toEqual([
      { description: "The migration now also fails on read-only disks." },
    ]);
    expect(
      query<{ content: string }>(
        home.dbPath,
        "SELECT content FROM documents WHERE source_type = 'issue' AND iid = 1",
      )[0]?.content,
    ).toContain("read-only disks");
    embedder.latencyMs = 0;
    const embed = await lore("embed");
    expect(embed.code).toBe(0);
    expect(embed.json().data.counters.docs_embedded).toBe(8);
  });
});

describe("lore doctor", () => {
  it("checks the provider, model and dimension", async () => {
    const ok = await lore("doctor");
    expect(ok.json().data.checks.find((c: { name: string }) => c.name === "embedding")).toMatchObject({
      ok: true,
      detail: expect.stringContaining("256 dimensions"),
    });
    // A model the server lacks leaves search lexical: a warning with the pull that fixes it.
    setEmbedding({ model: "no-such-model" });
    const missing = await lore("doctor");
    expect(missing.code).toBe(0);
    expect(missing.json().data.checks.find((c: { name: string }) => c.name === "embedding")).toMatchObject({
      ok: true,
      actions: ["ollama pull no-such-model", "lore config set embedding.provider none"],
    });
    setEmbedding({ provider: "none" });
    const off = await lore("doctor");
    expect(off.code).toBe(0);
  });
});
