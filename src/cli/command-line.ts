// Builds lore command lines for recovery actions: complete commands a user or agent can paste.

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./#!-]+$/.test(arg) && !arg.startsWith("#") && !arg.includes("!")
    ? arg
    : `'${arg.replaceAll("'", `'\\''`)}'`;
}

export interface SurgicalCommand {
  readonly project: string;
  readonly issues: readonly number[];
  readonly mrs: readonly number[];
  /** Extra flags to repeat (`--no-docs`, `--dry-run`…). */
  readonly flags?: readonly string[];
}

/** `lore sync -p P --issue 1 --mr 2 …`; undefined when there is nothing to sync. */
export function surgicalSyncCommand(command: SurgicalCommand): string | undefined {
  if (command.issues.length + command.mrs.length === 0) return undefined;
  return [
    "lore sync -p",
    shellQuote(command.project),
    ...command.issues.map((iid) => `--issue ${iid}`),
    ...command.mrs.map((iid) => `--mr ${iid}`),
    ...(command.flags ?? []),
  ].join(" ");
}
