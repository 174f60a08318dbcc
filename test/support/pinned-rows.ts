// The keys of a `lore issues` / `lore mrs` list row, sorted: pinned here once, because adding one
// is a contract change and renaming or removing one is breaking. Tests of other behaviour that
// also check the row's shape compare against these.

export const ISSUE_ROW_KEYS = [
  "age_seconds",
  "author",
  "iid",
  "labels",
  "project",
  "state",
  "synced_at",
  "title",
  "updated_at",
  "web_url",
] as const;

export const MR_ROW_KEYS = [...ISSUE_ROW_KEYS.slice(0, 2), "draft", ...ISSUE_ROW_KEYS.slice(2)] as const;
