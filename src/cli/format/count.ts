// Numbers for people: thousands separators and nouns that agree with their count ("1 note").

let grouping: Intl.NumberFormat | undefined;

/** `1412` → `1,412`. */
export function formatCount(n: number): string {
  // Whole numbers are grouped by hand: building an ICU formatter costs ~20 ms of start-up time.
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  grouping ??= new Intl.NumberFormat("en-US");
  return grouping.format(n);
}

/** `plural(1, "note")` → `1 note`; `plural(1412, "issue")` → `1,412 issues`; irregular: pass the plural. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** `Showing 5 of 8 people`: the count line over a list that may be cut. */
export function showing(shown: number, total: number, singular: string, pluralForm = `${singular}s`): string {
  return `Showing ${formatCount(shown)} of ${plural(total, singular, pluralForm)}`;
}

/**
 * `… 3 more people (raise -n to see them)` under a cut list; undefined when nothing was cut.
 * `hint` says how to see them (null: no hint).
 */
export function moreText(
  omitted: number,
  singular: string,
  pluralForm = `${singular}s`,
  hint: string | null = "raise -n to see them",
): string | undefined {
  if (omitted <= 0) return undefined;
  return `… ${formatCount(omitted)} more ${omitted === 1 ? singular : pluralForm}${hint ? ` (${hint})` : ""}`;
}
