// Small conversions from GitLab's lenient JSON to the values our columns hold.

/** Already what toISOString() makes, as gitlab.com serves every time: kept as it is. */
const CANONICAL_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * GitLab serves ISO timestamps; normalising keeps string comparison equal to time comparison. Most
 * are canonical already (UTC, milliseconds), and skipping their parse and format matters: a sync
 * normalises several times per note.
 */
export function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  if (CANONICAL_TIME.test(value)) {
    // Date.parse rolls a day past the month's end over into the next month.
    const day = Number(value.slice(8, 10));
    if (day <= 28 || day <= daysIn(value)) return value;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** Days in the month of a canonical time. */
function daysIn(value: string): number {
  const year = Number(value.slice(0, 4));
  return new Date(Date.UTC(year, Number(value.slice(5, 7)), 0)).getUTCDate();
}

export function requiredIsoTime(value: string | null | undefined, fallback: string): string {
  return isoTime(value) ?? fallback;
}

export function bool(value: boolean | null | undefined): number {
  return value ? 1 : 0;
}

export function nullableBool(value: boolean | null | undefined): number | null {
  return value === undefined || value === null ? null : value ? 1 : 0;
}

export interface UserLike {
  readonly username?: string | null | undefined;
  readonly name?: string | null | undefined;
}

export function usernames(users: readonly (UserLike | null | undefined)[] | null | undefined): string {
  return JSON.stringify(
    (users ?? []).map((u) => u?.username).filter((u): u is string => typeof u === "string"),
  );
}

export function labelNames(labels: readonly unknown[] | null | undefined): string[] {
  const names = (labels ?? []).map((label) =>
    typeof label === "string" ? label : (label as { name?: unknown } | null)?.name,
  );
  return [...new Set(names.filter((n): n is string => typeof n === "string" && n.length > 0))];
}
