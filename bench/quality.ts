// Retrieval quality: known-item search on a generated corpus of issues (stored and rendered by lore's
// own ingestion and document code), with paraphrased queries — each names its target by words of
// the description, not of the title, in a question ("why does the … fail when …") whose own words
// are in no issue, and every other one with a topic word the target lacks.
// success@k = share of queries whose target is among the first k results. "Before" is lore as it was:
// lexical search that needs every term, and embeddings of the whole document, metadata header
// included; "after" is most-terms ranking and embeddings of title and prose.
//
// The embedder is the feature-hashed bag of words of lore's tests (test/support/fake-embedder.ts):
// it knows no synonyms, so it measures the mechanics (what is embedded, how lists are fused), not
// the semantic recall a real model adds on paraphrases that share no word with their target.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, openDatabase } from "../src/db/open.js";
import { regenerateDirtyDocuments } from "../src/documents/regenerate.js";
import { embedPendingDocuments } from "../src/embedding/pipeline.js";
import type { EmbeddingProvider } from "../src/embedding/provider.js";
import type { GitLabIssue } from "../src/gitlab/schemas.js";
import { upsertIssue } from "../src/ingestion/issues.js";
import { reciprocalRankFusion } from "../src/search/hybrid.js";
import { lexicalSearch, type SearchResult } from "../src/search/lexical.js";
import { semanticSearch } from "../src/search/semantic.js";
import { upsertProject } from "../src/sync/projects.js";
import { fakeVector } from "../test/support/fake-embedder.js";
import { prng } from "../test/support/generate.js";
import { QUICK, table } from "./harness.js";

const TOPICS = 40;
const TOPIC_WORDS = 12;
const CHUNKS = { chunkChars: 2_000, chunkOverlapChars: 200 };
const LABELS = ["bug", "feature", "backend", "frontend", "performance", "security", "docs", "ci"];

interface Corpus {
  readonly issues: { title: string; description: string; labels: string[]; author: string }[];
  readonly queries: { text: string; iid: number }[];
}

const word = (prefix: string, n: number) => `${prefix}${n.toString(36)}`;

function corpus(issues: number, queries: number): Corpus {
  const random = prng(29);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const topicWords = Array.from({ length: TOPICS }, (_, t) =>
    Array.from({ length: TOPIC_WORDS }, (_, i) => word(`t${t}x`, i)),
  );
  const generated = Array.from({ length: issues }, (_, i) => {
    const topic = topicWords[i % TOPICS] as string[];
    // Words only this issue has (a component, an error code), and words its topic shares.
    const own = Array.from({ length: 4 }, (_, j) => word(`u${i}x`, j));
    const title = [pick(topic), pick(topic), pick(topic), own[0]].join(" ");
    const sentences = Array.from({ length: 3 }, () =>
      [pick(topic), pick(own.slice(1)), pick(topic), "the", pick(topic), "is", pick(topic)].join(" "),
    );
    return {
      title,
      description: `${sentences.join(". ")}.`,
      labels: [pick(LABELS), pick(LABELS)],
      author: `user${Math.floor(random() * 30)}`,
    };
  });
  const targets = Array.from({ length: queries }, (_, q) => (q * 7919) % issues);
  return {
    issues: generated,
    queries: targets.map((index, q) => {
      const topic = topicWords[index % TOPICS] as string[];
      const target = generated[index] as { title: string; description: string };
      const descriptionWords = target.description
        .replace(/\./g, "")
        .split(" ")
        .filter((w) => w.startsWith("u"));
      const has = (w: string) => `${target.title} ${target.description}`.split(/[ .]+/).includes(w);
      // Two words of the description (not the title), a topic word, and in every other query one
      // word of the topic that the target lacks (people rarely recall every word right).
      const lacking = q % 2 === 0 ? (topic.find((w) => !has(w)) ?? "") : "";
      return {
        text: `why does the ${pick(descriptionWords)} ${pick(topic)} fail when ${pick(descriptionWords)} ${lacking}`.trim(),
        iid: index + 1,
      };
    }),
  };
}

async function build(data: Corpus, withHeader: boolean): Promise<{ db: Db; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "lore-bench-quality-"));
  const db = openDatabase(join(dir, "lore.db"));
  const now = "2024-06-01T00:00:00.000Z";
  upsertProject(db, { id: 1, path_with_namespace: "group/proj", name: "proj" }, now);
  db.transaction(() => {
    data.issues.forEach((issue, i) => {
      const at = new Date(Date.parse("2023-01-01T00:00:00Z") + i * 3_600_000).toISOString();
      upsertIssue(
        db,
        {
          id: i + 1,
          iid: i + 1,
          project_id: 1,
          title: issue.title,
          description: issue.description,
          state: i % 3 === 0 ? "closed" : "opened",
          created_at: at,
          updated_at: at,
          labels: issue.labels,
          author: { id: 1, username: issue.author },
          assignees: [{ id: 2, username: `user${i % 7}` }],
          milestone: { id: 1, iid: 1, title: `Release 16.${i % 12}` },
          web_url: `https://gitlab.example.com/group/proj/-/issues/${i + 1}`,
        } as GitLabIssue,
        1,
        { syncedAt: now, fetchedAt: now },
      );
    });
  })();
  await regenerateDirtyDocuments(db);
  // Lore before: the header was part of the text that was embedded (and lexically it was body).
  if (withHeader) db.exec("UPDATE documents SET header_chars = 0");
  await embedPendingDocuments(db, provider, CHUNKS);
  return { db, dir };
}

const provider: EmbeddingProvider = {
  name: "ollama",
  model: "feature-hashing",
  baseUrl: "in-process",
  batchSize: 64,
  concurrency: 1,
  embed: async (texts) => texts.map((text) => fakeVector(text, 768)),
};

interface Figures {
  readonly at1: number;
  readonly at10: number;
}

async function measure(
  data: Corpus,
  db: Db,
  rank: (db: Db, query: string) => Promise<SearchResult[]>,
): Promise<Figures> {
  let at1 = 0;
  let at10 = 0;
  for (const q of data.queries) {
    const iids = (await rank(db, q.text)).map((r) => r.iid);
    if (iids[0] === q.iid) at1 += 1;
    if (iids.slice(0, 10).includes(q.iid)) at10 += 1;
  }
  return { at1: at1 / data.queries.length, at10: at10 / data.queries.length };
}

const DEPTH = 30;
/**
 * Lexical search as lore had it: only documents with every term. (Generous: lore then also required
 * the common words — "why", "does" — which no issue had.)
 */
function lexicalAll(db: Db, q: string, n: number): SearchResult[] {
  const outcome = lexicalSearch(db, q, {}, n);
  return outcome.results.filter((r) => r.explain.lexical_terms_matched === outcome.termCount);
}
const lexicalMost = (db: Db, q: string, n: number) => lexicalSearch(db, q, {}, n).results;
const semantic = (db: Db, q: string, n: number) => semanticSearch(db, provider, q, {}, n, CHUNKS);

export async function benchQuality(): Promise<void> {
  const issues = QUICK ? 1_000 : 4_000;
  const queries = QUICK ? 100 : 300;
  const data = corpus(issues, queries);
  console.log(`\n## Retrieval quality (${issues} issues, ${queries} paraphrased known-item queries)\n`);
  console.log(`Example query: "${data.queries[0]?.text}" for an issue titled "${data.issues[0]?.title}".`);
  console.log(
    'The question\'s own words ("fail") are in no issue, so search that needs every term finds nothing.',
  );
  console.log("Embedder: feature-hashed bag of words (768 dimensions), as in lore's tests.\n");
  const before = await build(data, true);
  const after = await build(data, false);
  try {
    const rows: [string, Figures, Figures][] = [
      [
        "lexical (before: every term; after: most terms first)",
        await measure(data, before.db, async (db, q) => lexicalAll(db, q, 10)),
        await measure(data, after.db, async (db, q) => lexicalMost(db, q, 10)),
      ],
      [
        "semantic (before: header embedded; after: title and prose)",
        await measure(data, before.db, (db, q) => semantic(db, q, 10)),
        await measure(data, after.db, (db, q) => semantic(db, q, 10)),
      ],
      [
        "hybrid (RRF of the two)",
        await measure(data, before.db, async (db, q) =>
          reciprocalRankFusion([lexicalAll(db, q, DEPTH), await semantic(db, q, DEPTH)], 10),
        ),
        await measure(data, after.db, async (db, q) =>
          reciprocalRankFusion([lexicalMost(db, q, DEPTH), await semantic(db, q, DEPTH)], 10),
        ),
      ],
    ];
    const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
    console.log(
      table(
        ["mode", "before @1", "before @10", "after @1", "after @10"],
        rows.map(([label, b, a]) => [label, pct(b.at1), pct(b.at10), pct(a.at1), pct(a.at10)]),
      ),
    );
  } finally {
    for (const { db, dir } of [before, after]) {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
