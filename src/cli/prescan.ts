// Reads the global flags from argv before commander does, so that even a parse error is reported
// in the right mode (robot or human) and names the command that was attempted.

export interface PrescanResult {
  readonly robot: boolean;
  readonly verbose: boolean;
  readonly quiet: boolean;
  /** False when --no-pager was given. */
  readonly pager: boolean;
  /** The first argument naming a known command, or "" when none was recognised. */
  readonly command: string;
}

export function prescan(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  commands: readonly string[],
): PrescanResult {
  let robot = env.LORE_ROBOT === "1" || env.LORE_ROBOT === "true";
  let verbose = false;
  let quiet = false;
  let pager = true;
  let command = "";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") break;
    if (arg === "--robot" || arg === "--json") robot = true;
    else if (arg === "-v" || arg === "--verbose") verbose = true;
    else if (arg === "-q" || arg === "--quiet") quiet = true;
    else if (arg === "--no-pager") pager = false;
    else if (arg === "--config") i += 1;
    else if (!arg.startsWith("-") && command === "" && commands.includes(arg)) command = arg;
  }
  return { robot, verbose, quiet, pager, command };
}
