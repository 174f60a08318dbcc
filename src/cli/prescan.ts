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

/** Global options that take no value, as commander defines them on the program. */
const GLOBAL_FLAGS = new Set(["--robot", "--json", "-v", "--verbose", "-q", "--quiet", "--no-pager"]);

/**
 * The command named by the first argument after the global options, when it is one of `commands`;
 * undefined when anything else comes first (help, --version, an unknown word or option), or none.
 */
export function invokedCommand<C extends string>(
  argv: readonly string[],
  commands: readonly C[],
): C | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (GLOBAL_FLAGS.has(arg) || arg.startsWith("--config=")) continue;
    if (arg === "--config") {
      i += 1;
      continue;
    }
    return commands.find((command) => command === arg);
  }
  return undefined;
}
