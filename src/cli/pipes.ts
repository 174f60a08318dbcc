// What lore does when a reader goes away. `lore issues | head -1` closes lore's stdout after one
// line: like `git log | head`, lore then ends at once, quietly, with exit 0 (there is no one left to
// tell). A closed stderr (`lore sync 2>&1 | head` closes both) only silences lore's messages.

type Exit = (code: number) => void;

interface Stream {
  on(event: "error", listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/**
 * Installs the handlers on the process's stdout and stderr. Without them a write to a closed pipe
 * is an unhandled 'error' event: a stack trace and exit 1. Any other failure to write the results
 * (a full disk behind `> file`) is reported in one line, exit 1.
 */
export function handleClosedPipes(
  stdout: Stream = process.stdout,
  stderr: Stream & { write(text: string): unknown } = process.stderr,
  exit: Exit = (code) => process.exit(code),
): void {
  let stderrOpen = true;
  stderr.on("error", () => {
    stderrOpen = false;
  });
  stdout.on("error", (error) => {
    if (error.code === "EPIPE") return exit(0);
    if (stderrOpen) stderr.write(`lore: cannot write the output: ${error.code ?? error.message}\n`);
    exit(1);
  });
}
