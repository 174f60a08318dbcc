// `lore mcp`: hands stdin/stdout to the MCP server until the host closes them; the server's modules
// (and the SDK) load only here.

import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";

export async function runMcp(_invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const { serveMcp } = await import("../../../mcp/server.js");
  await serveMcp(ctx);
  return { data: {}, render: () => {}, streamed: true };
}
