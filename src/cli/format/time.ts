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

/** Minutes east of UTC at an instant: the local time zone's (with its daylight saving), or a fixed one. */
export type UtcOffset = (ms: number) => number;

export const utc: UtcOffset = () => 0;
export const localOffset: UtcOffset = (ms) => -new Date(ms).getTimezoneOffset();

/** The instant as wall-clock `YYYY-MM-DDTHH:MM:SS` at the offset (parseable `value` assumed). */
function wallClock(ms: number, offset: UtcOffset): string {
  return new Date(ms + offset(ms) * 60_000).toISOString().slice(0, 19);
}

/** The calendar day (`2024-05-01`) an instant falls on at the offset; unparseable text as it is. */
export function calendarDay(value: string, offset: UtcOffset = utc): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : wallClock(ms, offset).slice(0, 10);
}

/** The time of day (`14:05`) of an instant at the offset. */
export function clockTime(value: string, offset: UtcOffset = utc): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : wallClock(ms, offset).slice(11, 16);
}

/**
 * A day heading for people: `Today`, `Yesterday`, else the date with how long ago it was
 * (`2024-05-01 (3 days ago)`); days are calendar days at the offset.
 */
export function dayHeading(day: string, now: number, offset: UtcOffset = utc): string {
  const today = calendarDay(new Date(now).toISOString(), offset);
  if (day === today) return "Today";
  const yesterday = Date.parse(`${today}T00:00:00Z`) - 86_400_000;
  if (day === new Date(yesterday).toISOString().slice(0, 10)) return "Yesterday";
  // The day's local midnight, as an instant.
  const start = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(start)) return day;
  return `${day} (${relativeTime(new Date(start - offset(start) * 60_000).toISOString(), now)})`;
}
