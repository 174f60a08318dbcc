// Whether a DiffNote sits near a line: GitLab's position names a line on the new side, the old side
// or both, and a multi-line comment a `line_range` whose ends carry lines or only `line_code`s
// (`<file sha>_<old line>_<new line>`).

export interface LineSide {
  readonly new_line?: number | null;
  readonly old_line?: number | null;
  readonly line_code?: string | null;
}

export interface DiffPosition extends LineSide {
  readonly line_range?: { readonly start?: LineSide | null; readonly end?: LineSide | null } | null;
}

/** The default half-width of the window around LINE (`trace PATH:LINE` looks at LINE ± 10). */
export const LINE_RADIUS = 10;

function sideLines(side: LineSide | null | undefined): { old: number | null; new: number | null } {
  if (!side) return { old: null, new: null };
  const code = /_(\d+)_(\d+)$/.exec(side.line_code ?? "");
  const positive = (n: number | null | undefined) => (typeof n === "number" && n > 0 ? n : null);
  return {
    old: positive(side.old_line) ?? positive(code ? Number(code[1]) : null),
    new: positive(side.new_line) ?? positive(code ? Number(code[2]) : null),
  };
}

/** The span of lines a position covers on each side, null where it names none there. */
export function positionSpan(position: DiffPosition): {
  readonly new: readonly [number, number] | null;
  readonly old: readonly [number, number] | null;
} {
  const here = sideLines(position);
  const start = sideLines(position.line_range?.start);
  const end = sideLines(position.line_range?.end);
  const span = (values: (number | null)[]): [number, number] | null => {
    const lines = values.filter((v): v is number => v !== null);
    return lines.length === 0 ? null : [Math.min(...lines), Math.max(...lines)];
  };
  return { new: span([here.new, start.new, end.new]), old: span([here.old, start.old, end.old]) };
}

/** The line a human reads a position by: its new-side line, else its old-side line. */
export function positionLine(position: DiffPosition): number | null {
  const span = positionSpan(position);
  return span.new?.[1] ?? span.old?.[1] ?? null;
}

/**
 * True when the position's lines come within `radius` of `line`: the new side first (LINE is a line
 * of the file as it is now), the old side when the comment is on removed lines only.
 */
export function nearLine(position: DiffPosition, line: number, radius: number = LINE_RADIUS): boolean {
  const span = positionSpan(position);
  const side = span.new ?? span.old;
  if (!side) return false;
  return side[0] <= line + radius && side[1] >= line - radius;
}
