// Reads every vector of the vec0 table in bulk, for building the index. vec0's own full scan reads
// each row through an incremental blob read that walks its chunk's overflow pages again (~25 µs a
// row: 5 s for 200,000), so this reads the storage tables sqlite-vec 0.1 keeps them in instead:
// `<table>_chunks` (a validity bitmap and the rowids of each chunk of up to 1,024 slots) and
// `<table>_vector_chunks00` (the float32 vectors of each chunk, one blob). Layout is checked against
// the version that created the table, and a sample of vectors against vec0's own answer: on any
// mismatch there is no index (searches stay on the exact scan), never a wrong one.

import type { Db } from "../../db/open.js";

export interface StoredChunk {
  /** Row ids of the live slots, in slot order. */
  readonly rowids: readonly number[];
  /** Their vectors, `dimension` floats each, in the same order. */
  readonly vectors: Float32Array;
}

export interface Vec0Storage {
  readonly count: number;
  chunks(): Generator<StoredChunk>;
}

interface ChunkRow {
  readonly chunk_id: number;
  readonly size: number;
  readonly validity: Buffer;
  readonly rowids: Buffer;
}

const SAMPLES = 16;

/** The live vectors of `table`, or undefined when its storage is not laid out as expected. */
export function vec0Storage(db: Db, table: string, dimension: number): Vec0Storage | undefined {
  const version = db
    .prepare(`SELECT value FROM "${table}_info" WHERE key = 'CREATE_VERSION'`)
    .pluck()
    .get() as string | undefined;
  if (!version?.startsWith("v0.1.")) return undefined;
  const chunkRows = db
    .prepare(`SELECT chunk_id, size, validity, rowids FROM "${table}_chunks" ORDER BY chunk_id`)
    .all() as ChunkRow[];
  const live = chunkRows.map((row) => liveSlots(row));
  if (live.some((slots) => slots === undefined)) return undefined;
  const count = live.reduce((n, slots) => n + (slots?.length ?? 0), 0);
  const vectorsOf = db.prepare(`SELECT vectors FROM "${table}_vector_chunks00" WHERE rowid = ?`).pluck();
  const bytes = dimension * 4;
  const read = (row: ChunkRow, slots: readonly Slot[]): StoredChunk | undefined => {
    const blob = vectorsOf.get(row.chunk_id) as Buffer | undefined;
    if (!blob || blob.length !== row.size * bytes) return undefined;
    const vectors = new Float32Array(slots.length * dimension);
    const all = floatsOf(blob);
    slots.forEach((slot, i) => {
      vectors.set(all.subarray(slot.index * dimension, (slot.index + 1) * dimension), i * dimension);
    });
    return { rowids: slots.map((s) => s.rowid), vectors };
  };
  if (!samplesAgree(db, table, chunkRows, live as Slot[][], read, dimension)) return undefined;
  if (count !== (db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number)) return undefined;
  return {
    count,
    *chunks() {
      for (const [i, row] of chunkRows.entries()) {
        const slots = live[i] as Slot[];
        if (slots.length === 0) continue;
        const chunk = read(row, slots);
        if (!chunk) throw new Error(`vec0 chunk ${row.chunk_id} is not as its table says`);
        yield chunk;
      }
    },
  };
}

interface Slot {
  readonly index: number;
  readonly rowid: number;
}

function liveSlots(row: ChunkRow): Slot[] | undefined {
  if (row.validity.length * 8 < row.size || row.rowids.length < row.size * 8) return undefined;
  const slots: Slot[] = [];
  for (let index = 0; index < row.size; index++) {
    if (((row.validity[index >> 3] as number) >> (index & 7)) & 1) {
      slots.push({ index, rowid: Number(row.rowids.readBigInt64LE(index * 8)) });
    }
  }
  return slots;
}

/** Compares the first, the last and some spread-out vectors with what vec0 returns for their rowid. */
function samplesAgree(
  db: Db,
  table: string,
  rows: readonly ChunkRow[],
  live: readonly Slot[][],
  read: (row: ChunkRow, slots: readonly Slot[]) => StoredChunk | undefined,
  dimension: number,
): boolean {
  const byRowid = db.prepare(`SELECT embedding FROM "${table}" WHERE rowid = ?`).pluck();
  const picks: [number, number][] = [];
  const withSlots = live.map((slots, i) => [i, slots.length] as const).filter(([, n]) => n > 0);
  for (let s = 0; s < SAMPLES && withSlots.length > 0; s++) {
    const [chunk, n] = withSlots[Math.floor((s * (withSlots.length - 1)) / (SAMPLES - 1))] as readonly [
      number,
      number,
    ];
    picks.push([chunk, s % 2 === 0 ? 0 : n - 1]);
  }
  for (const [chunk, slotIndex] of picks) {
    const slot = (live[chunk] as Slot[])[slotIndex] as Slot;
    const stored = read(rows[chunk] as ChunkRow, [slot]);
    const truth = byRowid.get(BigInt(slot.rowid)) as Buffer | undefined;
    if (!stored || !truth || truth.length !== dimension * 4) return false;
    const expected = floatsOf(truth);
    for (let d = 0; d < dimension; d++) if (!Object.is(stored.vectors[d], expected[d])) return false;
  }
  return true;
}

/** The float32 values of a blob (copied when the blob's memory is not 4-byte aligned). */
export function floatsOf(blob: Buffer): Float32Array {
  const aligned = blob.byteOffset % 4 === 0 ? blob : Buffer.from(blob);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}
