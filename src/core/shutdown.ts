// Turns SIGINT/SIGTERM into cooperative cancellation: the first signal aborts `signal` so running
// work stops at its next safe point; a second one runs the cleanup hooks and exits with 130 at once.

import { cancelledError } from "./errors.js";

export type CleanupHook = () => void;

export class ShutdownSignal {
  private readonly controller = new AbortController();
  private readonly hooks = new Set<CleanupHook>();
  private installed = false;
  private signalsSeen = 0;

  constructor(
    private readonly exit: (code: number) => never = (code) => process.exit(code),
    private readonly onFirstSignal: (name: string) => void = () => {},
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  /** Listens for SIGINT and SIGTERM on the process; idempotent. */
  install(): this {
    if (this.installed) return this;
    this.installed = true;
    process.on("SIGINT", this.handle);
    process.on("SIGTERM", this.handle);
    return this;
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    process.off("SIGINT", this.handle);
    process.off("SIGTERM", this.handle);
  }

  /** Asks running work to stop, as a first signal would. */
  request(): void {
    if (!this.controller.signal.aborted) this.controller.abort(cancelledError());
  }

  /** Registers a synchronous hook run on a forced exit; returns its removal. */
  onCleanup(hook: CleanupHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  runCleanup(): void {
    for (const hook of [...this.hooks].reverse()) {
      try {
        hook();
      } catch {
        // A failing hook must not keep the others from running during a forced exit.
      }
    }
    this.hooks.clear();
  }

  private readonly handle = (name: NodeJS.Signals): void => {
    this.signalsSeen += 1;
    if (this.signalsSeen === 1) {
      this.onFirstSignal(name);
      this.request();
      return;
    }
    this.runCleanup();
    this.exit(130);
  };
}
