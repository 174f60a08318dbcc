// The only code that prints. Human mode: results on stdout, progress and warnings on stderr, colour
// only on a TTY without NO_COLOR. Robot mode: exactly one JSON envelope on stdout, plain stderr.
// On a terminal (and only there) human output also gets relative times, tables fitted to its
// width, Markdown rendered, and long output through the pager.

import { LoreError } from "../core/errors.js";
import { sqliteFailure } from "../db/errors.js";
import { type Pager, pagerArgv, startPager } from "./format/pager.js";
import { type Column, renderTable } from "./format/table.js";
import { truncate } from "./format/text-width.js";
import {
  calendarDay,
  clockTime,
  dayHeading,
  formatDuration,
  isoSeconds,
  localOffset,
  relativeTime,
} from "./format/time.js";

type TerminalStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface OutputStreams {
  readonly stdout: TerminalStream;
  readonly stderr: TerminalStream;
}

export interface OutputOptions {
  readonly robot: boolean;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Long output may go through $PAGER on a terminal (false: --no-pager). */
  readonly pager?: boolean | undefined;
  /** The clock relative times are measured against (tests). */
  readonly now?: (() => number) | undefined;
}

/** Renders Markdown and wraps text to lines; loaded on demand (see enableMarkdown). */
type RichText = Pick<typeof import("./format/markdown.js"), "renderMarkdown" | "wrapText">;

const DEFAULT_COLUMNS = 80;

export type Paint = (text: string) => string;

export interface Style {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  readonly magenta: Paint;
  /** Highlight for search matches. */
  readonly match: Paint;
}

const plain: Paint = (text) => text;
const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

export interface Progress {
  /** Replaces the progress text (redrawn in place on a TTY, throttled otherwise). */
  update(text: string): void;
  /** Ends the progress line with a final message. */
  done(text?: string): void;
}

export interface EnvelopeMeta {
  readonly command: string;
  readonly elapsed_ms: number;
  readonly [key: string]: unknown;
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export class Output {
  readonly robot: boolean;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly style: Style;
  readonly stderrStyle: Style;
  /** stdout is a terminal and this is human output: relative times, fitted tables, pager, Markdown. */
  readonly tty: boolean;
  private readonly streams: OutputStreams;
  private readonly stderrIsTTY: boolean;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly pagerAllowed: boolean;
  private readonly now: () => number;
  /** The spinner line on a TTY: erased before other output (and redrawn on its next tick), stopped when done. */
  private activeProgress: { erase(): void; stop(): void } | undefined;
  private pager: Pager | undefined;
  private richText: RichText | undefined;

  constructor(
    options: OutputOptions,
    streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr },
  ) {
    this.robot = options.robot;
    this.verbose = options.verbose;
    this.quiet = options.quiet && !options.verbose;
    this.streams = streams;
    const noColor = options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== "";
    const colourOut = !options.robot && !noColor && streams.stdout.isTTY === true;
    const colourErr = !options.robot && !noColor && streams.stderr.isTTY === true;
    this.stderrIsTTY = !options.robot && streams.stderr.isTTY === true;
    this.style = makeStyle(colourOut);
    this.stderrStyle = makeStyle(colourErr);
    this.tty = !options.robot && streams.stdout.isTTY === true;
    this.env = options.env;
    this.pagerAllowed = this.tty && options.pager !== false;
    this.now = options.now ?? Date.now;
  }

  /** A line of human output (results, summaries). Ignored in robot mode: robot output is the envelope. */
  line(text = ""): void {
    if (this.robot) return;
    this.clearProgress();
    // Once paging, everything goes to the pager; when the user has quit it, the rest is dropped.
    if (this.pager) this.pager.write(`${text}\n`);
    else this.streams.stdout.write(`${text}\n`);
  }

  /** The terminal's width in columns; undefined when stdout is not a terminal (nothing is cut). */
  width(): number | undefined {
    if (!this.tty) return undefined;
    return terminalColumns(this.streams.stdout, this.env);
  }

  /** One line of plain text cut to the terminal's width (less `indent`) with `…`; uncut off a terminal. */
  fit(text: string, indent = 0): string {
    const width = this.width();
    return width === undefined ? text : truncate(text, Math.max(10, width - indent));
  }

  /** A timestamp for people: "3 days ago" on a terminal, ISO-8601 UTC to the second otherwise. */
  time(iso: string): string {
    return this.tty ? relativeTime(iso, this.now()) : isoSeconds(iso);
  }

  /**
   * The heading of the day an instant falls on, for output grouped by day: on a terminal "Today",
   * "Yesterday" or the date with how long ago it was, in local time; otherwise the UTC date.
   */
  day(iso: string): string {
    return this.tty ? dayHeading(calendarDay(iso, localOffset), this.now(), localOffset) : calendarDay(iso);
  }

  /** The time of an instant under its day heading: "14:05" local on a terminal, ISO-8601 UTC otherwise. */
  clock(iso: string): string {
    return this.tty ? clockTime(iso, localOffset) : isoSeconds(iso);
  }

  /**
   * Prints aligned columns, with a bold header row unless `header: false`, fitted to the
   * terminal's width (less `indent`, the spaces before each line). `before` and `after` print
   * around each row's line (a day heading above it, its details below it), so rows stay aligned
   * with one another across what is printed between them.
   */
  table<Row>(
    columns: readonly Column<Row>[],
    rows: readonly Row[],
    options: {
      readonly header?: boolean;
      readonly indent?: number;
      readonly before?: (row: Row, index: number) => void;
      readonly after?: (row: Row, index: number) => void;
    } = {},
  ): void {
    const indent = options.indent ?? 0;
    const width = this.width();
    if (this.robot) return;
    const lines = renderTable(columns, rows, {
      width: width === undefined ? undefined : Math.max(20, width - indent),
      header: options.header === false ? false : this.style.bold,
    });
    const margin = " ".repeat(indent);
    const first = lines.length - rows.length;
    for (const line of lines.slice(0, first)) this.line(`${margin}${line}`);
    rows.forEach((row, index) => {
      options.before?.(row, index);
      this.line(`${margin}${lines[first + index]}`);
      options.after?.(row, index);
    });
  }

  /**
   * Sends the rest of this command's stdout through the pager ($LORE_PAGER, $PAGER, else
   * `less -FRX`) when stdout is a terminal and --no-pager was not given; otherwise does nothing.
   */
  page(): void {
    if (!this.pagerAllowed || this.pager) return;
    const argv = pagerArgv(this.env);
    if (argv) this.pager = startPager(argv, this.env);
  }

  /** Loads the Markdown renderer and text wrapping when output goes to a terminal (call before rendering). */
  async enableMarkdown(): Promise<void> {
    if (this.tty && !this.richText) {
      const { renderMarkdown, wrapText } = await import("./format/markdown.js");
      this.richText = { renderMarkdown, wrapText };
    }
  }

  /** Markdown as lines: rendered on a terminal (after enableMarkdown), the source text otherwise. */
  markdown(text: string, indent = 0): string[] {
    const width = this.width();
    if (!this.richText || width === undefined) return text.trim().split(/\r?\n/);
    return this.richText.renderMarkdown(text, { width: Math.max(20, width - indent), style: this.style });
  }

  /**
   * A long line (which may hold colour codes) as lines that fit the terminal once `indent` spaces
   * precede each: wrapped on a terminal (after enableMarkdown), the line itself otherwise.
   */
  wrap(text: string, indent = 0): string[] {
    const width = this.width();
    if (!this.richText || width === undefined) return [text];
    return this.richText.wrapText(text, Math.max(20, width - indent));
  }

  /** Informational message on stderr; hidden by -q, and in robot mode unless -v. */
  info(text: string): void {
    if (this.quiet || (this.robot && !this.verbose)) return;
    this.writeErr(text);
  }

  warn(text: string): void {
    this.writeErr(`${this.stderrStyle.yellow("warning:")} ${text}`);
  }

  debug(text: string): void {
    if (this.verbose) this.writeErr(this.stderrStyle.dim(text));
  }

  /** Progress on stderr: a redrawn spinner line on a TTY, occasional plain lines otherwise, none when quiet. */
  progress(label: string): Progress {
    if (this.quiet || this.robot) {
      return {
        update: (text) => {
          if (this.robot && this.verbose) this.debugThrottled(`${label}: ${text}`);
        },
        done: (text) => {
          if (this.robot && this.verbose && text) this.writeErr(`${label}: ${text}`);
        },
      };
    }
    if (!this.stderrIsTTY) {
      // A log gets the label at once, then a line every couple of seconds at most.
      let last = Date.now();
      this.writeErr(`${label}…`);
      return {
        update: (text) => {
          const now = Date.now();
          if (now - last < 2_000) return;
          last = now;
          this.writeErr(`${label}: ${text}`);
        },
        done: (text) => {
          if (text) this.writeErr(`${label}: ${text}`);
        },
      };
    }
    let frame = 0;
    let current = "";
    const started = this.now();
    const draw = () => {
      frame = (frame + 1) % SPINNER.length;
      // The phase's elapsed time keeps a slow step (a first page that takes long) visibly alive.
      const elapsed = this.now() - started;
      const clock = elapsed >= 1_000 ? ` · ${formatDuration(elapsed)}` : "";
      // A line wider than the terminal would wrap, and \r redraws only its last row.
      const width = terminalColumns(this.streams.stderr, this.env) - 3;
      const text = truncate(`${label} ${current}${clock}`.trim(), width);
      this.streams.stderr.write(`\r\u001b[2K${this.stderrStyle.cyan(SPINNER[frame] ?? "")} ${text}`);
    };
    const timer = setInterval(draw, 100);
    timer.unref();
    const handle = {
      erase: () => this.streams.stderr.write("\r\u001b[2K"),
      stop: () => {
        clearInterval(timer);
        handle.erase();
        if (this.activeProgress === handle) this.activeProgress = undefined;
      },
    };
    this.stopProgress();
    this.activeProgress = handle;
    draw();
    return {
      update: (text) => {
        current = text;
      },
      done: (text) => {
        handle.stop();
        if (text) this.writeErr(`${this.stderrStyle.green("✓")} ${label} ${text}`);
      },
    };
  }

  /** Writes the robot success envelope. */
  emitSuccess(data: unknown, meta: EnvelopeMeta): void {
    this.stopProgress();
    this.streams.stdout.write(`${JSON.stringify({ ok: true, data, meta })}\n`);
  }

  /** Reports an error: the robot envelope on stdout, or a human message on stderr. */
  emitError(error: LoreError, meta: EnvelopeMeta, stack?: string): void {
    this.stopProgress();
    if (this.robot) {
      this.streams.stdout.write(`${JSON.stringify({ ok: false, error: robotError(error), meta })}\n`);
      if (stack) this.streams.stderr.write(`${stack}\n`);
      return;
    }
    const s = this.stderrStyle;
    const lines = [`${s.red(s.bold("error"))} ${s.dim(`[${error.code}]`)} ${error.message}`];
    const failures = error.details?.failures;
    if (Array.isArray(failures)) {
      for (const failure of failures) lines.push(`  - ${describeFailure(failure)}`);
    }
    if (error.suggestion) lines.push(`${s.cyan("hint:")} ${error.suggestion}`);
    for (const action of error.actions) lines.push(`${s.cyan("hint:")} ${action}`);
    if (stack) lines.push(s.dim(stack));
    this.streams.stderr.write(`${lines.join("\n")}\n`);
  }

  /** Raw text to stdout (help and version in human mode). */
  raw(text: string): void {
    this.streams.stdout.write(text);
  }

  /** True once everything written to stdout so far was accepted; false when stdout failed (a closed pipe). */
  delivered(): Promise<boolean> {
    return new Promise((resolve) => this.streams.stdout.write("", (error) => resolve(!error)));
  }

  /** Waits until everything written has left, and the pager (if any) has exited. */
  async flush(): Promise<void> {
    const pager = this.pager;
    this.pager = undefined;
    await pager?.close();
    await Promise.all(
      [this.streams.stdout, this.streams.stderr].map(
        (stream) => new Promise<void>((resolve) => stream.write("", () => resolve())),
      ),
    );
  }

  private lastDebug = 0;
  private debugThrottled(text: string): void {
    const now = Date.now();
    if (now - this.lastDebug < 2_000) return;
    this.lastDebug = now;
    this.writeErr(text);
  }

  private writeErr(text: string): void {
    this.clearProgress();
    this.streams.stderr.write(`${text}\n`);
  }

  /** Erases the spinner line so other output starts on a clean line; the spinner redraws below it. */
  private clearProgress(): void {
    this.activeProgress?.erase();
  }

  private stopProgress(): void {
    this.activeProgress?.stop();
  }
}

function terminalColumns(stream: TerminalStream, env: Readonly<Record<string, string | undefined>>): number {
  if (stream.columns !== undefined && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_COLUMNS;
}

function describeFailure(failure: unknown): string {
  if (failure && typeof failure === "object") {
    const f = failure as Record<string, unknown>;
    const sigil = f.entity_type === "merge_request" ? "!" : "#";
    if (f.iid !== undefined)
      return `${f.entity_type ?? "entity"} ${sigil}${f.iid} in ${f.project}: ${f.reason}`;
  }
  return JSON.stringify(failure);
}

/** A style that paints nothing (no colour, or text that is measured before it is painted). */
export const plainStyle: Style = {
  bold: plain,
  dim: plain,
  red: plain,
  green: plain,
  yellow: plain,
  cyan: plain,
  magenta: plain,
  match: plain,
};

function makeStyle(enabled: boolean): Style {
  if (!enabled) return plainStyle;
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    red: ansi(31, 39),
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    cyan: ansi(36, 39),
    magenta: ansi(35, 39),
    match: (text) => `\u001b[1m\u001b[33m${text}\u001b[39m\u001b[22m`,
  };
}

/** The robot envelope's `error` object: code, message, exit code, and suggestion, actions, details when set. */
export function robotError(error: LoreError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    code: error.code,
    message: error.message,
    exit_code: error.exitCode,
  };
  if (error.suggestion) body.suggestion = error.suggestion;
  if (error.actions.length > 0) body.actions = error.actions;
  if (error.details) body.details = error.details;
  return body;
}

export function asLoreError(error: unknown): LoreError {
  if (error instanceof LoreError) return error;
  const database = sqliteFailure(error);
  if (database) return database;
  const message = error instanceof Error ? error.message : String(error);
  return new LoreError("INTERNAL", `Unexpected error: ${message}`, {
    suggestion: "This is a bug in lore; rerun with -v for the stack trace and report it.",
    cause: error,
  });
}
