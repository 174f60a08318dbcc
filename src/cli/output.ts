// The only code that prints. Human mode: results on stdout, progress and warnings on stderr, colour
// only on a TTY without NO_COLOR. Robot mode: exactly one JSON envelope on stdout, plain stderr.

import { LoreError } from "../core/errors.js";
import { sqliteFailure } from "../db/errors.js";

export interface OutputStreams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface OutputOptions {
  readonly robot: boolean;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

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
  private readonly streams: OutputStreams;
  private readonly stderrIsTTY: boolean;
  private activeProgress: { clear(): void } | undefined;

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
  }

  /** A line of human output (results, summaries). Ignored in robot mode: robot output is the envelope. */
  line(text = ""): void {
    if (this.robot) return;
    this.clearProgress();
    this.streams.stdout.write(`${text}\n`);
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
      let last = 0;
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
    const draw = () => {
      frame = (frame + 1) % SPINNER.length;
      this.streams.stderr.write(
        `\r\u001b[2K${this.stderrStyle.cyan(SPINNER[frame] ?? "")} ${label} ${current}`,
      );
    };
    const timer = setInterval(draw, 100);
    timer.unref();
    const handle = {
      clear: () => {
        clearInterval(timer);
        this.streams.stderr.write("\r\u001b[2K");
        this.activeProgress = undefined;
      },
    };
    this.clearProgress();
    this.activeProgress = handle;
    draw();
    return {
      update: (text) => {
        current = text;
      },
      done: (text) => {
        if (this.activeProgress === handle) handle.clear();
        else clearInterval(timer);
        if (text) this.writeErr(`${this.stderrStyle.green("✓")} ${label} ${text}`);
      },
    };
  }

  /** Writes the robot success envelope. */
  emitSuccess(data: unknown, meta: EnvelopeMeta): void {
    this.clearProgress();
    this.streams.stdout.write(`${JSON.stringify({ ok: true, data, meta })}\n`);
  }

  /** Reports an error: the robot envelope on stdout, or a human message on stderr. */
  emitError(error: LoreError, meta: EnvelopeMeta, stack?: string): void {
    this.clearProgress();
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

  async flush(): Promise<void> {
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

  private clearProgress(): void {
    this.activeProgress?.clear();
  }
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

function makeStyle(enabled: boolean): Style {
  if (!enabled) {
    return {
      bold: plain,
      dim: plain,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      magenta: plain,
      match: plain,
    };
  }
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
