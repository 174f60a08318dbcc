import { expect, it } from "vitest";
import { describePending } from "../../src/cli/commands/search/pending.js";

it.each([
  [
    { synced: false, documents_pending: 0, actions: ["lore sync"] },
    "Nothing synced yet: run lore sync first.",
  ],
  [{ synced: true, documents_pending: 0, actions: [] }, undefined],
  [
    { synced: true, documents_pending: 1, actions: ["lore sync -p g/p"] },
    "1 document is still waiting to be indexed (a sync was interrupted or ran with --no-docs), so results may be missing: lore sync -p g/p builds them first.",
  ],
  [
    { synced: true, documents_pending: 12345, actions: ["lore sync"] },
    "12,345 documents are still waiting to be indexed (a sync was interrupted or ran with --no-docs), so results may be missing: lore sync builds them first.",
  ],
])("explains %o", (pending, sentence) => {
  expect(describePending(pending)).toBe(sentence);
});
