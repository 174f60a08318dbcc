// `lore timeline` as a question over the mirror: from the seed entities, follow cross-references
// breadth-first up to a depth (`closes` always; `related` and `mentioned` unless asked not to),
// collect every event of every entity reached plus one event per reference between them, order
// them, and keep the newest N. Returns the robot shape; the CLI and other adapters only present it.

import type { Db } from "../db/open.js";
import { type Freshness, freshness } from "../read/freshness.js";
import type { ReferenceKind } from "./entity-references.js";
import { entityLabel, type MirrorEntity } from "./mirror-entities.js";
import { referencesBackfillPending } from "./reference-backfill.js";
import { type EntityReference, referencesOf, resolveReference } from "./reference-graph.js";
import { type ReferenceTarget, referenceKey } from "./references.js";
import { compareEvents, entityEvents, type RankedEvent, type TimelineEvent } from "./timeline-events.js";

export type { TimelineEvent } from "./timeline-events.js";

export interface TimelineOptions {
  readonly seeds: readonly MirrorEntity[];
  /** How many reference hops from the seeds (0: the seeds alone). */
  readonly depth: number;
  /** Follow and show `related` and `mentioned` references too, not only `closes`. */
  readonly mentions: boolean;
  /** ISO timestamp: only events at or after it. */
  readonly since?: string | undefined;
  /** Keep the newest this many events. */
  readonly limit: number;
  /** The free-text query the seeds came from, echoed in the result. */
  readonly query?: string | undefined;
  /** Milliseconds since the epoch that ages are measured from (default: now). */
  readonly now?: number | undefined;
}

export interface EntityKeyView {
  readonly entity_type: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
}

export interface TimelineEntity extends EntityKeyView, Freshness {
  readonly title: string;
  readonly state: string;
  readonly web_url: string;
  readonly depth: number;
  readonly via: ReferenceKind | null;
}

export interface UnresolvedReference {
  readonly entity_type: "issue" | "merge_request" | "commit";
  readonly project: string;
  readonly iid: number | null;
  /** Commits only. */
  readonly sha?: string;
}

export interface TimelineResult {
  readonly query: string | null;
  readonly seeds: EntityKeyView[];
  readonly entities: TimelineEntity[];
  readonly events: TimelineEvent[];
  readonly unresolved_references: UnresolvedReference[];
  readonly omitted_events: number;
  readonly omitted_entities: number;
  readonly omitted_unresolved_references: number;
  readonly warnings: string[];
}

export const DEFAULT_TIMELINE_DEPTH = 1;
export const DEFAULT_TIMELINE_LIMIT = 200;
/** More entities than this is no longer a readable history: the rest are counted, not walked. */
export const MAX_TIMELINE_ENTITIES = 100;
export const MAX_UNRESOLVED_REFERENCES = 50;

interface Reached {
  readonly entity: MirrorEntity;
  readonly depth: number;
  readonly via: ReferenceKind | null;
  readonly references: EntityReference[];
}

const VIA_STRENGTH: Record<ReferenceKind, number> = { closes: 3, related: 2, mentioned: 1 };

export function buildTimeline(db: Db, options: TimelineOptions): TimelineResult {
  const follows = (kind: ReferenceKind) => kind === "closes" || options.mentions;
  const resolved = new Map<string, MirrorEntity | undefined>();
  const resolve = (target: ReferenceTarget) => {
    const key = referenceKey(target);
    if (!resolved.has(key)) resolved.set(key, resolveReference(db, target));
    return resolved.get(key);
  };

  // Breadth-first: each layer is ordered by reference so the same mirror gives the same walk.
  const reached = new Map<string, Reached>();
  let omittedEntities = 0;
  let layer: Reached[] = [];
  for (const seed of options.seeds) {
    const key = keyOf(seed);
    if (reached.has(key)) continue;
    const entry = { entity: seed, depth: 0, via: null, references: referencesOf(db, seed) };
    reached.set(key, entry);
    layer.push(entry);
  }
  for (let depth = 1; depth <= options.depth && layer.length > 0; depth++) {
    const found = new Map<string, { entity: MirrorEntity; via: ReferenceKind }>();
    for (const from of layer) {
      for (const reference of from.references) {
        if (!follows(reference.kind)) continue;
        const entity = resolve(reference.other);
        if (!entity) continue;
        const key = keyOf(entity);
        if (reached.has(key)) continue;
        const previous = found.get(key);
        if (!previous || VIA_STRENGTH[reference.kind] > VIA_STRENGTH[previous.via]) {
          found.set(key, { entity, via: reference.kind });
        }
      }
    }
    const next = [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    layer = [];
    for (const [key, { entity, via }] of next) {
      if (reached.size >= MAX_TIMELINE_ENTITIES) {
        omittedEntities += 1;
        continue;
      }
      const entry = { entity, depth, via, references: referencesOf(db, entity) };
      reached.set(key, entry);
      layer.push(entry);
    }
  }

  const entries = [...reached.values()];
  const rank = new Map(entries.map((entry, index) => [keyOf(entry.entity), index]));
  const ranked: RankedEvent[] = entries.flatMap((entry, index) => entityEvents(db, entry.entity, index));
  ranked.push(...referenceEvents(entries, rank, follows, resolve));
  const inWindow = options.since ? ranked.filter((r) => r.event.at >= (options.since as string)) : ranked;
  inWindow.sort(compareEvents);
  const kept = inWindow.slice(Math.max(0, inWindow.length - options.limit));

  const unresolved = unresolvedReferences(entries, follows, resolve);
  const now = options.now ?? Date.now();
  return {
    query: options.query ?? null,
    seeds: entries.filter((e) => e.depth === 0).map((e) => keyView(e.entity)),
    entities: entries.map((e) => ({
      ...keyView(e.entity),
      title: e.entity.title,
      state: e.entity.state,
      web_url: e.entity.webUrl,
      depth: e.depth,
      via: e.via,
      ...freshness(e.entity.syncedAt, now),
    })),
    events: kept.map((r) => r.event),
    unresolved_references: unresolved.slice(0, MAX_UNRESOLVED_REFERENCES),
    omitted_events: inWindow.length - kept.length,
    omitted_entities: omittedEntities,
    omitted_unresolved_references: Math.max(0, unresolved.length - MAX_UNRESOLVED_REFERENCES),
    warnings: referencesBackfillPending(db)
      ? [
          "Cross-references of issues and merge requests stored before this version of lore are derived by the next `lore sync` (once, offline); until then this timeline follows only those synced since.",
        ]
      : [],
  };
}

function keyOf(entity: {
  readonly type: "issue" | "merge_request";
  readonly project: string;
  readonly iid: number;
}) {
  return referenceKey({ kind: entity.type, projectPath: entity.project, iid: entity.iid });
}

function keyView(entity: MirrorEntity): EntityKeyView {
  return { entity_type: entity.type, project: entity.project, iid: entity.iid };
}

// What a pair of entities' references say, strongest first: one event per pair, worded by this.
const WORDING: readonly { readonly test: (r: EntityReference) => boolean; readonly verb: string }[] = [
  { test: (r) => r.kind === "closes", verb: "closes" },
  { test: (r) => r.detail === "addresses", verb: "was created to address" },
  { test: (r) => r.detail === "moved_to", verb: "moved to" },
  { test: (r) => r.detail === "duplicate_of", verb: "marked as a duplicate of" },
  { test: (r) => r.detail === "related_to", verb: "marked as related to" },
  { test: () => true, verb: "mentioned" },
];

interface Pair {
  readonly source: ReferenceTarget;
  readonly target: ReferenceTarget;
  readonly references: EntityReference[];
}

/**
 * One `reference` event per ordered pair of ends, of the kinds followed, when either end is in the
 * timeline: at the earliest time any of its references says (a link is timed by its source
 * entity's creation), attributed to the source when it is in the timeline, else to the target.
 */
function referenceEvents(
  entries: readonly Reached[],
  rank: ReadonlyMap<string, number>,
  follows: (kind: ReferenceKind) => boolean,
  resolve: (target: ReferenceTarget) => MirrorEntity | undefined,
): RankedEvent[] {
  const pairs = new Map<string, Pair>();
  for (const entry of entries) {
    const self: ReferenceTarget = {
      kind: entry.entity.type,
      projectPath: entry.entity.project,
      iid: entry.entity.iid,
    };
    for (const reference of entry.references) {
      if (!follows(reference.kind)) continue;
      const [source, target] =
        reference.direction === "outgoing" ? [self, reference.other] : [reference.other, self];
      const key = `${referenceKey(source)}>${referenceKey(target)}`;
      const pair = pairs.get(key) ?? { source, target, references: [] };
      // Both ends in the timeline see the same rows: keep each once.
      if (!pair.references.some((r) => sameRow(r, reference))) pair.references.push(reference);
      pairs.set(key, pair);
    }
  }
  const events: RankedEvent[] = [];
  for (const pair of pairs.values()) {
    const sourceEntity = resolve(pair.source);
    const targetEntity = resolve(pair.target);
    const owner =
      sourceEntity && rank.has(keyOf(sourceEntity)) ? sourceEntity : (targetEntity as MirrorEntity);
    const timed = pair.references
      .map((r) => ({
        at: r.referencedAt ?? sourceEntity?.createdAt ?? null,
        actor: r.referencedAt !== null ? r.actor : (sourceEntity?.author ?? null),
      }))
      .filter((t): t is { at: string; actor: string | null } => t.at !== null)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0];
    if (!timed) continue;
    const verb = (WORDING.find((w) => pair.references.some(w.test)) as (typeof WORDING)[number]).verb;
    events.push({
      event: {
        at: timed.at,
        entity_type: owner.type,
        project: owner.project,
        iid: owner.iid,
        kind: "reference",
        actor: timed.actor,
        summary: `${endLabel(pair.source, sourceEntity)} ${verb} ${endLabel(pair.target, targetEntity)}`,
        url: owner.webUrl,
      },
      entityRank: rank.get(keyOf(owner)) ?? 0,
      sequence: 0,
    });
  }
  return events;
}

function sameRow(a: EntityReference, b: EntityReference): boolean {
  return (
    a.kind === b.kind &&
    a.origin === b.origin &&
    a.detail === b.detail &&
    a.noteId === b.noteId &&
    a.referencedAt === b.referencedAt
  );
}

function endLabel(end: ReferenceTarget, entity: MirrorEntity | undefined): string {
  if (entity) return entityLabel(entity);
  if (end.kind === "commit") return `commit ${end.sha.slice(0, 8)} (${end.projectPath})`;
  return entityLabel({ type: end.kind, project: end.projectPath, iid: end.iid });
}

/** The other ends of followed references that the mirror does not hold, each once, in key order. */
function unresolvedReferences(
  entries: readonly Reached[],
  follows: (kind: ReferenceKind) => boolean,
  resolve: (target: ReferenceTarget) => MirrorEntity | undefined,
): UnresolvedReference[] {
  const found = new Map<string, UnresolvedReference>();
  for (const entry of entries) {
    for (const reference of entry.references) {
      if (!follows(reference.kind) || resolve(reference.other)) continue;
      const other = reference.other;
      found.set(
        referenceKey(other),
        other.kind === "commit"
          ? { entity_type: "commit", project: other.projectPath, iid: null, sha: other.sha }
          : { entity_type: other.kind, project: other.projectPath, iid: other.iid },
      );
    }
  }
  return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
