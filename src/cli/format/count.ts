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
