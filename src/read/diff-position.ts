// Where a DiffNote sits, as people write it: `path:line` (the new side's line, else the old side's),
// or the path alone for a whole-file comment.

export interface DiffPositionLike {
  readonly new_path?: string | null;
  readonly old_path?: string | null;
  readonly new_line?: number | null;
  readonly old_line?: number | null;
}

export function diffPositionText(position: unknown): string | null {
  if (!position || typeof position !== "object") return null;
  const p = position as DiffPositionLike;
  const path = p.new_path ?? p.old_path;
  if (!path) return null;
  const line = p.new_line ?? p.old_line;
  return line ? `${path}:${line}` : path;
}

/** The same for a stored `position_json` column (null, or text that may not parse). */
export function storedDiffPositionText(positionJson: string | null): string | null {
  if (!positionJson) return null;
  try {
    return diffPositionText(JSON.parse(positionJson));
  } catch {
    return null;
  }
}
