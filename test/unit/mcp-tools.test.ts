// The MCP tool list stays in step with the commands: each tool answers through a command the field
// registry knows, takes `fields` only where that command has rows, and `lore mcp --help` names it.

import { describe, expect, it } from "vitest";
import { ROBOT_COMMANDS } from "../../src/agent/registry.js";
import { helpText } from "../../src/agent/robot-docs.js";
import { buildProgram } from "../../src/cli/program.js";
import { TOOLS } from "../../src/mcp/tools.js";

describe("the MCP tools", () => {
  const mcpHelp = () => {
    const program = buildProgram("0.0.0", async () => {});
    const mcp = program.commands.find((c) => c.name() === "mcp");
    return helpText(mcp as NonNullable<typeof mcp>).replace(/\s+/g, " ");
  };

  it.each(TOOLS.map((tool) => [tool.name, tool] as const))("%s", (name, tool) => {
    const entry = ROBOT_COMMANDS[tool.command];
    expect(entry, tool.command).toBeDefined();
    if ("fields" in tool.input.shape) {
      expect(Object.values(entry?.shapes ?? {}).some((shape) => shape.rows)).toBe(true);
    }
    expect(mcpHelp()).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
