// Keeps a tool result inside a token budget (hosts put it in the model's context): rows are cut
// from the end of the listed arrays, in order, and then the longest texts are shortened, until the
// JSON fits. What was cut is said, never silently dropped: `truncated`, `omitted_count`, `omitted`.

/** The usual estimate for English and JSON: about four characters per token. */
export const CHARS_PER_TOKEN = 4;
export const DEFAULT_MAX_TOKENS = 8_000;

export interface Budgeted {
  readonly truncated: boolean;
  /** Rows cut from the arrays, in all. */
  readonly omitted_count: number;
  /** Rows cut per array path (`results`, `issue.discussions`); absent when nothing was cut. */
  readonly omitted?: Readonly<Record<string, number>>;
  /** Texts shortened to fit (their end replaced by a marker). */
  readonly shortened_texts?: number;
}

type Json = Record<string, unknown>;

/**
 * An array to cut rows from: by its path (`results`, `issue.discussions`), from its end; or, for a
 * list whose last rows matter most (a timeline's newest events), from its start.
 */
export type CutPath = string | { readonly path: string; readonly from: "start" };

const pathOf = (cut: CutPath) => (typeof cut === "string" ? cut : cut.path);

function parentOf(root: Json, path: string): { holder: Json; key: string } | undefined {
  const parts = path.split(".");
  const key = parts.pop() as string;
  let holder: unknown = root;
  for (const part of parts) {
    if (holder === null || typeof holder !== "object") return undefined;
    holder = (holder as Json)[part];
  }
  return holder !== null && typeof holder === "object" ? { holder: holder as Json, key } : undefined;
}

const size = (value: unknown) => JSON.stringify(value).length;

/**
 * `data` (an object) reduced to at most `maxTokens` worth of JSON, with the budget's report merged
 * in. Arrays named by `cut` lose rows (from their end unless said otherwise), the first path first.
 */
export function fitToBudget<T extends Json>(
  data: T,
  cut: readonly CutPath[],
  maxTokens: number,
): T & Budgeted {
  const maxChars = maxTokens * CHARS_PER_TOKEN;
  const report = (value: Json, budget: Budgeted) => ({ ...value, ...budget }) as T & Budgeted;
  if (size(report(data, { truncated: false, omitted_count: 0 })) <= maxChars) {
    return report(data, { truncated: false, omitted_count: 0 });
  }
  const copy = structuredClone(data) as Json;
  const omitted: Record<string, number> = {};
  // Room for the report itself.
  const reserve = 200 + cut.map(pathOf).join("").length;
  const fits = () => size(copy) + reserve <= maxChars;
  for (const entry of cut) {
    if (fits()) break;
    const path = pathOf(entry);
    const place = parentOf(copy, path);
    const rows = place?.holder[place.key];
    if (!place || !Array.isArray(rows) || rows.length === 0) continue;
    const keep = (n: number) => (typeof entry === "string" ? rows.slice(0, n) : rows.slice(rows.length - n));
    // The most rows that fit, by bisection (each probe serialises the whole result once).
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      place.holder[place.key] = keep(mid);
      if (fits()) lo = mid;
      else hi = mid - 1;
    }
    place.holder[place.key] = keep(lo);
    if (lo < rows.length) omitted[path] = rows.length - lo;
  }
  const shortened = fits() ? 0 : shortenTexts(copy, fits);
  const count = Object.values(omitted).reduce((a, b) => a + b, 0);
  return report(copy, {
    truncated: true,
    omitted_count: count,
    ...(count > 0 ? { omitted } : {}),
    ...(shortened > 0 ? { shortened_texts: shortened } : {}),
  });
}

interface TextSlot {
  readonly holder: Record<string | number, unknown>;
  readonly key: string | number;
  readonly length: number;
}

/** Every string in the tree, with where it sits. */
function* textSlots(node: unknown): Generator<TextSlot> {
  if (node === null || typeof node !== "object") return;
  const holder = node as Record<string | number, unknown>;
  for (const key of Object.keys(holder)) {
    const value = holder[key];
    if (typeof value === "string") yield { holder, key, length: value.length };
    else yield* textSlots(value);
  }
}

/** Halves the longest string until the whole fits (or texts are down to a stub); returns how many were cut. */
function shortenTexts(root: Json, fits: () => boolean): number {
  const cut = new Map<object, Set<string | number>>();
  let count = 0;
  for (let round = 0; round < 200 && !fits(); round++) {
    let longest: TextSlot | undefined;
    for (const slot of textSlots(root)) if (!longest || slot.length > longest.length) longest = slot;
    if (!longest || longest.length < 200) break;
    const text = longest.holder[longest.key] as string;
    const keep = Math.floor(text.length / 2);
    longest.holder[longest.key] =
      `${text.slice(0, keep)}… [${text.length - keep} more characters cut to fit the token budget]`;
    const keys = cut.get(longest.holder) ?? new Set();
    if (!keys.has(longest.key)) count += 1;
    cut.set(longest.holder, keys.add(longest.key));
  }
  return count;
}
