import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { makeTempHome, runLore } from "../support/cli.js";

// Every command lore offers is documented in the README and has help with examples.
it("documents every command and gives each help with examples", async () => {
  const home = makeTempHome();
  try {
    const help = await runLore(["--help"], { env: home.env });
    const section = help.stdout.split("Commands:")[1]?.split("Examples:")[0] ?? "";
    const commands = [...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)]
      .map((m) => m[1])
      .filter((c) => c !== "help");
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const readme = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");
    for (const command of commands) {
      expect(readme, `README documents lore ${command}`).toContain(`lore ${command}`);
      const commandHelp = await runLore([command as string, "--help"], { env: home.env });
      expect(commandHelp.code, command).toBe(0);
      expect(commandHelp.stdout, `${command} --help has examples`).toMatch(/Examples:\n {2}lore /);
    }
  } finally {
    home.cleanup();
  }
});
