// Aligned columns for human output, gh-style: a header row, no borders, two spaces between
// columns. On a terminal the table is fitted to its width: the columns marked `shrink` (titles,
// paths) give up width first, widest first, and cut cells end with `…`. Off a terminal nothing is
// cut. Widths are display widths, so CJK and emoji line up.

import { displayWidth, pad, singleLine, truncate } from "./text-width.js";

export interface Column<Row> {
  readonly header: string;
  /** The cell's plain text (no ANSI codes): what is measured and cut. */
  readonly text: (row: Row) => string;
  /** Colours the fitted text; applied after cutting, so widths stay right. */
  readonly paint?: ((text: string, row: Row) => string) | undefined;
  readonly align?: "left" | "right" | undefined;
  /** Gives up width first when the table is wider than the terminal (a title, a path). */
  readonly shrink?: boolean | undefined;
  /** The narrowest a shrinking column is cut to (default 12, or its natural width if narrower). */
  readonly minWidth?: number | undefined;
}

export interface TableOptions {
  /** Columns available (the terminal's width); undefined: nothing is cut. */
  readonly width?: number | undefined;
  /** Paints the header row; `false`: no header row. */
  readonly header?: ((text: string) => string) | false | undefined;
  /** Spaces between columns (default 2). */
  readonly gap?: number | undefined;
}

const DEFAULT_MIN_WIDTH = 12;

/**
 * Widths that fit `available` columns: the widest shrinkable column above its minimum loses one
 * column at a time; when that is not enough, the other columns too (down to one column each).
 */
export function fitWidths(
  natural: readonly number[],
  shrinkable: readonly boolean[],
  minimums: readonly number[],
  available: number,
  gap: number,
): number[] {
  const widths = [...natural];
  let excess = widths.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, widths.length - 1) - available;
  const shrinkWidest = (eligible: (index: number) => boolean, floor: (index: number) => number) => {
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) {
        if (!eligible(i) || (widths[i] as number) <= floor(i)) continue;
        if (widest < 0 || (widths[i] as number) > (widths[widest] as number)) widest = i;
      }
      if (widest < 0) return;
      widths[widest] = (widths[widest] as number) - 1;
      excess -= 1;
    }
  };
  shrinkWidest(
    (i) => shrinkable[i] === true,
    (i) => Math.min(natural[i] as number, minimums[i] as number),
  );
  shrinkWidest(
    () => true,
    () => 1,
  );
  return widths;
}

/** The table as lines (without newlines), header first. */
export function renderTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: TableOptions = {},
): string[] {
  const gap = options.gap ?? 2;
  const cells = rows.map((row) => columns.map((column) => singleLine(column.text(row))));
  const showHeader = options.header !== false;
  const natural = columns.map((column, i) =>
    Math.max(showHeader ? displayWidth(column.header) : 0, ...cells.map((row) => displayWidth(row[i] ?? ""))),
  );
  const widths =
    options.width === undefined
      ? natural
      : fitWidths(
          natural,
          columns.map((c) => c.shrink === true),
          columns.map((c) => c.minWidth ?? DEFAULT_MIN_WIDTH),
          options.width,
          gap,
        );
  const spacer = " ".repeat(gap);
  const line = (texts: readonly string[], paint: (text: string, column: number) => string): string => {
    const parts = texts.map((text, i) => {
      const column = columns[i] as Column<Row>;
      const width = widths[i] as number;
      const fitted = paint(truncate(text, width), i);
      // The last left-aligned column is not padded: no trailing blanks.
      if (i === texts.length - 1 && column.align !== "right") return fitted;
      return pad(fitted, width, column.align ?? "left");
    });
    // Empty cells at the end of a row leave no trailing blanks either.
    return parts.join(spacer).replace(/ +$/, "");
  };
  const lines: string[] = [];
  if (showHeader) {
    const paintHeader = typeof options.header === "function" ? options.header : (text: string) => text;
    lines.push(
      line(
        columns.map((c) => c.header),
        (text) => paintHeader(text),
      ),
    );
  }
  rows.forEach((row, r) => {
    lines.push(
      line(cells[r] as string[], (text, i) => {
        const paint = columns[i]?.paint;
        return paint && text !== "" ? paint(text, row) : text;
      }),
    );
  });
  return lines;
}
