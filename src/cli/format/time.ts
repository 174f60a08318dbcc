// Times for people: ISO-8601 UTC to the second (no milliseconds), relative times ("3 days ago")
// for terminals, and short durations ("1m 05s") for elapsed times and ETAs.

/** `2024-05-01T10:00:00.123Z` → `2024-05-01T10:00:00Z`; any parseable time is shown in UTC. */
export function isoSeconds(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const UNITS: readonly [name: string, seconds: number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** `3 days ago`, `just now`, `in 2 hours` — the largest whole unit, as gh and glab show times. */
export function relativeTime(value: string, now: number): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  const seconds = Math.round((now - ms) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 45) return "just now";
  for (const [name, size] of UNITS) {
    const amount = Math.floor(magnitude / size);
    if (amount >= 1) {
      const text = `${amount} ${name}${amount === 1 ? "" : "s"}`;
      return seconds >= 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return seconds >= 0 ? "1 minute ago" : "in 1 minute";
}

/** `850` → `0.9s`, `52_000` → `52s`, `62_000` → `1m 02s`, `3_900_000` → `1h 05m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
