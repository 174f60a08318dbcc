// `lore robot-docs`: the machine-readable description of the CLI, from the program it parses with.

import { robotDocs } from "../../../agent/robot-docs.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { buildProgram } from "../../program.js";

export async function runRobotDocs(_invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const program = buildProgram(ctx.version, async () => {});
  const data = robotDocs(program, ctx.version);
  return { data, render: (out) => out.raw(`${JSON.stringify(data, null, 2)}\n`) };
}
