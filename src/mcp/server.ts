// `lore mcp`: a Model Context Protocol server on stdio over the local mirror (the official SDK's
// McpServer, one registerTool per question). It keeps one database connection for its whole life
// (WAL and a busy timeout let a `lore sync` run beside it), answers every failure as a tool error
// carrying lore's code, message and actions, and stops when stdin closes or on SIGTERM/SIGINT.

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { applyFields, planFields } from "../agent/apply-fields.js";
import { describeFields } from "../agent/fields.js";
import type { CommandContext } from "../cli/context.js";
import { asLoreError, Output, robotError } from "../cli/output.js";
import type { LoreError } from "../core/errors.js";
import { DEFAULT_MAX_TOKENS, fitToBudget } from "./budget.js";
import { pageDiscussions, settlePage } from "./paging.js";
import { TOOLS, type ToolSpec } from "./tools.js";

export interface McpStreams {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
}

/** Serves until the client closes stdin or the process is asked to stop. */
export async function serveMcp(
  ctx: CommandContext,
  streams: McpStreams = { stdin: process.stdin, stdout: process.stdout },
): Promise<void> {
  const context = toolContext(ctx);
  const server = new McpServer(
    { name: "lore", version: ctx.version },
    {
      instructions:
        "lore answers from a local mirror of GitLab issues, merge requests and their discussions. Every issue, MR, thread and list row carries synced_at/age_seconds; pass max_age to get_issue/get_merge_request/timeline (or call refresh) when the answer must be current.",
    },
  );
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: !tool.readOnly },
      },
      (args: Record<string, unknown>, extra: { signal: AbortSignal }) =>
        callTool(tool, args, context, extra.signal),
    );
  }
  const transport = new StdioServerTransport(streams.stdin as never, streams.stdout as never);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  const stop = () => void server.close().catch(() => {});
  // The SDK's transport does not notice a closed stdin: the host going away ends the server.
  streams.stdin.once("end", stop);
  streams.stdin.once("close", stop);
  ctx.signal.addEventListener("abort", stop, { once: true });
  transport.onerror = (error) => ctx.output.debug(`mcp transport: ${error.message}`);
  await server.connect(transport);
  ctx.output.info(`lore mcp: serving ${TOOLS.length} tools on stdio`);
  await closed;
  ctx.signal.removeEventListener("abort", stop);
}

/**
 * The command context as the tools see it: one read-write connection serves reads too (one
 * connection for the server's life), and nothing is ever written to stdout (the protocol's).
 */
function toolContext(ctx: CommandContext): CommandContext {
  const quiet = new Output(
    { robot: true, verbose: ctx.output.verbose, quiet: true, env: ctx.env },
    { stdout: nowhere(), stderr: process.stderr },
  );
  return { ...ctx, output: quiet, readDb: () => ctx.db() };
}

function nowhere(): NodeJS.WritableStream {
  const sink = {
    write: (_chunk: unknown, callback?: unknown) => {
      if (typeof callback === "function") callback();
      return true;
    },
  };
  return sink as unknown as NodeJS.WritableStream;
}

/** Runs one tool call: the command's own run over the shared context, then fields, paging, budget. */
export async function callTool(
  tool: ToolSpec,
  args: Record<string, unknown>,
  ctx: CommandContext,
  signal: AbortSignal,
): Promise<CallToolResult> {
  try {
    const invocation = tool.invocation(args);
    const plan = planFields(tool.command, invocation);
    if (plan?.selection.kind === "help") return success(describeFields(plan.rows, tool.command));
    const run = await tool.load();
    const callSignal = AbortSignal.any([ctx.signal, signal]);
    const result = await run(invocation, { ...ctx, signal: callSignal });
    if (result.failure) throw result.failure;
    let data = applyFields(result.data, plan) as Record<string, unknown>;
    if (tool.pagedDiscussions) data = pageDiscussions(data, tool.pagedDiscussions, args);
    const maxTokens = typeof args.max_tokens === "number" ? args.max_tokens : DEFAULT_MAX_TOKENS;
    const fitted = fitToBudget(data, tool.cut, maxTokens);
    return success(tool.pagedDiscussions ? settlePage(fitted, tool.pagedDiscussions) : fitted);
  } catch (error) {
    return failure(asLoreError(error));
  }
}

function success(data: unknown): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(data) }] };
}

/** A tool error: the robot envelope's error object (code, message, exit_code, suggestion, actions, details). */
function failure(error: LoreError): CallToolResult {
  return { isError: true, content: [{ type: "text", text: JSON.stringify({ error: robotError(error) }) }] };
}
