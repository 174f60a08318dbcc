// Timeline seeds for a free-text question: the issues and merge requests behind the best-ranked
// search documents (a thread's document stands for its parent), each once, in rank order.

import type { Db } from "../db/open.js";
import { perConnection } from "../db/statements.js";
import { type EntityType, entityById, type MirrorEntity } from "./mirror-entities.js";

/** Seeds a query contributes at most: a timeline of more is no longer one story. */
export const MAX_QUERY_SEEDS = 5;

const statements = perConnection((db) => ({
  parent: db.prepare<[number], { parent_type: EntityType; parent_id: number }>(
    "SELECT parent_type, parent_id FROM documents WHERE id = ?",
  ),
}));

export function seedsFromDocuments(
  db: Db,
  rankedDocumentIds: readonly number[],
  max = MAX_QUERY_SEEDS,
): MirrorEntity[] {
  const seeds = new Map<string, MirrorEntity>();
  for (const documentId of rankedDocumentIds) {
    if (seeds.size >= max) break;
    const parent = statements(db).parent.get(documentId);
    if (!parent) continue;
    const key = `${parent.parent_type}:${parent.parent_id}`;
    if (seeds.has(key)) continue;
    const entity = entityById(db, parent.parent_type, parent.parent_id);
    if (entity) seeds.set(key, entity);
  }
  return [...seeds.values()];
}
