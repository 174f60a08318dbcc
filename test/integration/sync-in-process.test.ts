// The sync run functions called in-process, as read commands and an MCP server will call them: a
// client and stages injected, no CLI. The `beforePhase` hook cancels a run inside each phase, which
// is how the stages that do no network I/O are tested (production code reads no test switch).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cancelledError, isLoreError, type LoreError } from "../../src/core/errors.js";
import { type Db, openDatabase } from "../../src/db/open.js";
import { createGitLabClient } from "../../src/gitlab/client.js";
import { postIngestStages } from "../../src/sync/post-stages.js";
import { runIncrementalSync } from "../../src/sync/run-incremental.js";
import { runSurgicalSync, SURGICAL_STAGES } from "../../src/sync/surgical.js";
import { type FakeGitLab, startFakeGitLab } from "../support/fake-gitlab.js";
import { type Seeded, seedProject } from "../support/scenario.js";

let gl: FakeGitLab;
let seeded: Seeded;
let dir: string;
let db: Db;

beforeEach(async () => {
  gl = await startFakeGitLab();
  seeded = seedProject(gl, { issues: 3, mrs: 2 });
  dir = mkdtempSync(join(tmpdir(), "lore-in-process-"));
  db = openDatabase(join(dir, "lore.db"));
});
afterEach(async () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  await gl.close();
});

const stages = postIngestStages({
  docs: true,
  embed: false,
  chunking: { chunkChars: 2000, chunkOverlapChars: 200 },
});
const client = () => createGitLabClient({ baseUrl: gl.url, concurrency: 8 });
const rows = (sql: string) => db.prepare(sql).all();
const surgical = (signal: AbortSignal, beforePhase?: (phase: string) => void) =>
  runSurgicalSync(
    { project: "group/proj", issues: [1, 2], mrs: [1], dryRun: false, stages },
    { db, client: client(), signal, beforePhase },
  );

async function caught(work: Promise<unknown>): Promise<LoreError> {
  try {
    await work;
  } catch (error) {
    if (isLoreError(error)) return error;
    throw error;
  }
  throw new Error("expected the run to fail");
}

describe("surgical sync in-process", () => {
  it("runs with an injected client and stages, and records the run", async () => {
    const phases: string[] = [];
    const result = await runSurgicalSync(
      { project: "group/proj", issues: [2], mrs: [1], dryRun: false, stages },
      { db, client: client(), signal: new AbortController().signal, onPhase: (p) => phases.push(p) },
    );
    expect(result.entities.map((e) => [e.entity_type, e.iid, e.status])).toEqual([
      ["issue", 2, "ingested"],
      ["merge_request", 1, "ingested"],
    ]);
    expect(phases).toEqual(["preflight", "fetch", "ingest", "docs", "done"]);
    expect(rows("SELECT mode, status, phase FROM sync_runs")).toEqual([
      { mode: "surgical", status: "succeeded", phase: "done" },
    ]);
    expect(rows("SELECT COUNT(*) AS n FROM documents")).toEqual([{ n: 4 }]);
  });

  it.each(SURGICAL_STAGES.filter((s) => s !== "embed"))(
    "stops cleanly when cancelled inside %s",
    async (stage) => {
      await surgical(new AbortController().signal);
      gl.updateIssue(seeded.project, 1, { title: "Edited remotely" });
      const before = rows("SELECT id, title, updated_at FROM issues ORDER BY id");
      const controller = new AbortController();
      const error = await caught(
        surgical(controller.signal, (phase) => {
          if (phase === stage) controller.abort(cancelledError());
        }),
      );
      expect(error.code).toBe("CANCELLED");
      expect(error.details).toMatchObject({ phase: stage });
      expect(rows("SELECT status, phase FROM sync_runs ORDER BY id DESC LIMIT 1")).toEqual([
        { status: "cancelled", phase: stage },
      ]);
      // Consistent: nothing written before ingest, and every stored issue has its threads.
      if (stage !== "docs")
        expect(rows("SELECT id, title, updated_at FROM issues ORDER BY id")).toEqual(before);
      else expect(rows("SELECT title FROM issues WHERE iid = 1")).toEqual([{ title: "Edited remotely" }]);
      expect(
        rows(
          "SELECT COUNT(*) AS n FROM issues i WHERE NOT EXISTS (SELECT 1 FROM discussions d WHERE d.issue_id = i.id)",
        ),
      ).toEqual([{ n: 0 }]);
    },
  );
});

describe("incremental sync in-process", () => {
  it("stops cleanly when cancelled while walking, releasing the lock", async () => {
    const controller = new AbortController();
    const error = await caught(
      runIncrementalSync(
        { projects: ["group/proj"], full: false, overlapSeconds: 300, stages },
        {
          db,
          client: client(),
          signal: controller.signal,
          beforePhase: (phase) => {
            if (phase === "entities") controller.abort(cancelledError());
          },
        },
      ),
    );
    expect(error.code).toBe("CANCELLED");
    expect(rows("SELECT mode, status, phase FROM sync_runs")).toEqual([
      { mode: "incremental", status: "cancelled", phase: "entities" },
    ]);
    expect(rows("SELECT COUNT(*) AS n FROM sync_lock")).toEqual([{ n: 0 }]);
    const again = await runIncrementalSync(
      { projects: ["group/proj"], full: false, overlapSeconds: 300, stages },
      { db, client: client(), signal: new AbortController().signal },
    );
    expect(again.projects[0]).toMatchObject({ issues_fetched: 3, mrs_fetched: 2 });
    expect(rows("SELECT COUNT(*) AS n FROM dirty_sources")).toEqual([{ n: 0 }]);
  });
});
