// The shape every command module shares: raw parsed flags in, a data object and a human renderer out.

import type { CommandContext } from "./context.js";
import type { Output } from "./output.js";

export interface Invocation {
  /** Command options merged with the global ones, as commander parsed them. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Positional arguments, in declaration order. */
  readonly args: readonly unknown[];
}

export interface CommandResult<T = unknown> {
  /** Feeds the robot envelope's `data` and the human renderer. */
  readonly data: T;
  /** Prints the human view of `data` (stdout for results, stderr for notes). */
  readonly render: (output: Output) => void;
  /** A non-zero exit with this data still printed (e.g. doctor's failing check). */
  readonly failure?: import("../core/errors.js").LoreError;
  /**
   * Runs once the output has been written without error (not after a failure, nor when stdout
   * broke), e.g. to record what the user has now seen. A throw here is a warning, not a failure:
   * the answer is already out.
   */
  readonly afterOutput?: () => void;
  /** The command wrote its own protocol on stdout (`lore mcp`): no envelope or rendering follows. */
  readonly streamed?: boolean;
}

export type CommandRun = (invocation: Invocation, ctx: CommandContext) => Promise<CommandResult>;
