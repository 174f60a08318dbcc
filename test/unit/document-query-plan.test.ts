// Regenerating an entity's document reads its threads through its own discussions: a plan that
// starts from the notes (system, created_at) index scans every note of the mirror per entity.

import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { entityThreadsSql } from "../../src/documents/regenerate.js";

const db = new Database(":memory:");
migrate(db);

describe("the threads of an entity's document", () => {
  it.each(["issue_id", "merge_request_id"] as const)("start from the discussions of the %s", (parent) => {
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${entityThreadsSql(parent)}`).all(1) as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan[0]).toMatch(/^SEARCH d USING INDEX \S+ \((issue_id|merge_request_id)=\?\)$/);
    expect(plan[1]).toMatch(/^SEARCH n USING INDEX \S+ \(discussion_id=\?\)$/);
    expect(plan.join("\n")).not.toContain("notes_system_created");
  });
});
