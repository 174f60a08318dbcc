import type { Command } from "commander";
import type { Invoke } from "../../program.js";

export function registerMcp(program: Command, invoke: Invoke): void {
  program
    .command("mcp")
    .description("serve the mirror to agents over the Model Context Protocol (stdio)")
    .addHelpText(
      "after",
      `
An agent host starts it and speaks MCP on its stdin/stdout; logs go to stderr. Tools: search,
get_issue, get_merge_request, list_issues, list_merge_requests, notes, timeline, who, file_history,
trace, related, me, refresh, status. Results are the robot data objects, bounded (max_results,
fields, max_tokens; truncated and omitted_count say what was cut); get_issue, get_merge_request
and timeline take max_age to refresh from GitLab first. It keeps one database connection, runs
beside lore sync, and stops when stdin closes or on SIGTERM.

Host configuration (Claude Desktop, Claude Code's .mcp.json, Cursor and others):
  {"mcpServers": {"lore": {"command": "lore", "args": ["mcp"], "env": {"GITLAB_TOKEN": "glpat-…"}}}}

Examples:
  lore mcp
  claude mcp add lore -- lore mcp`,
    )
    .action(invoke("mcp", async () => (await import("./run.js")).runMcp));
}
