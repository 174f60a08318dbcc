// Opens a web page in the user's browser without waiting for it: `$BROWSER`, else the platform's
// opener (`open` on macOS, `xdg-open` on Linux with a display, `start` on Windows). Where there
// is no browser to start, the caller prints the URL instead.

import { spawn } from "node:child_process";
import { findExecutable, splitCommandLine } from "./format/pager.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The command that opens a URL here, or undefined when no browser can be started. */
export function browserCommand(env: Env, platform: NodeJS.Platform = process.platform): string[] | undefined {
  if (env.BROWSER !== undefined) {
    const argv = splitCommandLine(env.BROWSER);
    return argv.length > 0 ? argv : undefined;
  }
  if (platform === "darwin") return ["open"];
  if (platform === "win32") return ["cmd", "/c", "start", '""'];
  // Without a display xdg-open would fall back to a text browser on this very terminal.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return ["xdg-open"];
}

/** Starts the browser on `url` and returns at once; false when none could be started. */
export function openInBrowser(url: string, env: Env): boolean {
  const argv = browserCommand(env);
  const [command, ...args] = argv ?? [];
  if (command === undefined) return false;
  const executable = findExecutable(command, env);
  if (!executable) return false;
  try {
    const child = spawn(executable, [...args, url], { detached: true, stdio: "ignore", env: { ...env } });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
