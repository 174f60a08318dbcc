// Small conversions from GitLab's lenient JSON to the values our columns hold.

/** GitLab serves ISO timestamps; normalising keeps string comparison equal to time comparison. */
export function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
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
