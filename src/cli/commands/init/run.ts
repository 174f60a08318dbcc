// `lore init`: builds a config from flags (or prompts on a TTY), validates it, writes it atomically.

import { createInterface } from "node:readline/promises";
import { describeIssues } from "../../../config/load.js";
import { type ConfigInput, ConfigSchema } from "../../../config/schema.js";
import { writeConfig } from "../../../config/write.js";
import { LoreError } from "../../../core/errors.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";

export interface InitOptions {
  readonly gitlabUrl: string | undefined;
  readonly projects: readonly string[];
  readonly tokenEnv: string;
  readonly username: string | undefined;
  readonly db: string | undefined;
  readonly embeddingProvider: string | undefined;
  readonly embeddingUrl: string | undefined;
  readonly embeddingModel: string | undefined;
  readonly force: boolean;
}

export function parseInitOptions(options: Readonly<Record<string, unknown>>): InitOptions {
  const str = (key: string) => (typeof options[key] === "string" ? (options[key] as string) : undefined);
  return {
    gitlabUrl: str("gitlabUrl"),
    projects: Array.isArray(options.project) ? (options.project as string[]) : [],
    tokenEnv: str("tokenEnv") ?? "GITLAB_TOKEN",
    username: str("username")?.replace(/^@/, ""),
    db: str("db"),
    embeddingProvider: str("embeddingProvider"),
    embeddingUrl: str("embeddingUrl"),
    embeddingModel: str("embeddingModel"),
    force: options.force === true,
  };
}

async function promptMissing(options: InitOptions, ctx: CommandContext): Promise<InitOptions> {
  const interactive = !ctx.output.robot && process.stdin.isTTY === true && process.stderr.isTTY === true;
  if (!interactive || (options.gitlabUrl && options.projects.length > 0)) return options;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const gitlabUrl =
      options.gitlabUrl ??
      ((await rl.question("GitLab URL [https://gitlab.com]: ")).trim() || "https://gitlab.com");
    let projects = options.projects;
    if (projects.length === 0) {
      const answer = await rl.question("Project paths (space-separated, e.g. group/project): ");
      projects = answer.split(/[\s,]+/).filter(Boolean);
    }
    return { ...options, gitlabUrl, projects };
  } finally {
    rl.close();
  }
}

export async function runInit(invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const options = await promptMissing(parseInitOptions(invocation.options), ctx);
  if (!options.gitlabUrl)
    throw new LoreError("USAGE", "Missing --gitlab-url.", {
      suggestion: "Example: lore init --gitlab-url https://gitlab.com --project group/project",
    });
  if (options.projects.length === 0)
    throw new LoreError("USAGE", "Missing --project (give at least one).", {
      suggestion: "Example: lore init --gitlab-url https://gitlab.com --project group/project",
    });

  const input: ConfigInput = {
    gitlab: {
      baseUrl: options.gitlabUrl,
      tokenEnvVar: options.tokenEnv,
      ...(options.username ? { username: options.username } : {}),
    },
    projects: [...new Set(options.projects.map((p) => p.trim().replace(/^\/+|\/+$/g, "")))].map((path) => ({
      path,
    })),
    ...(options.db ? { storage: { dbPath: options.db } } : {}),
    embedding: {
      ...(options.embeddingProvider ? { provider: options.embeddingProvider as "ollama" } : {}),
      ...(options.embeddingUrl ? { baseUrl: options.embeddingUrl } : {}),
      ...(options.embeddingModel ? { model: options.embeddingModel } : {}),
    },
  };
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    const flagFor: Record<string, string> = {
      "gitlab.baseUrl": "--gitlab-url",
      "gitlab.tokenEnvVar": "--token-env",
      "gitlab.username": "--username",
      "embedding.provider": "--embedding-provider",
      "embedding.baseUrl": "--embedding-url",
    };
    const first = problems[0];
    const field = first
      ? (flagFor[first.field] ?? (first.field.startsWith("projects") ? "--project" : first.field))
      : "";
    throw new LoreError("USAGE", `Invalid ${field}: ${first?.message}`, { details: { problems } });
  }
  writeConfig(ctx.configPath, parsed.data, options.force);
  const tokenSet = Boolean(ctx.env[parsed.data.gitlab.tokenEnvVar]);
  const data = {
    config_path: ctx.configPath,
    gitlab_url: parsed.data.gitlab.baseUrl,
    projects: parsed.data.projects.map((p) => p.path),
    token_env: parsed.data.gitlab.tokenEnvVar,
    token_present: tokenSet,
    username: parsed.data.gitlab.username ?? null,
    db_path: ctx.dbPath(),
    embedding_provider: parsed.data.embedding.provider,
  };
  return {
    data,
    render(out) {
      out.line(`${out.style.green("✓")} Wrote ${data.config_path}`);
      out.line(`  GitLab:   ${data.gitlab_url}`);
      out.line(`  Projects: ${data.projects.join(", ")}`);
      out.line(
        `  Token:    $${data.token_env} ${tokenSet ? "(set)" : out.style.yellow("(not set: anonymous access)")}`,
      );
      if (data.username) out.line(`  User:     @${data.username} (for lore me)`);
      out.line(`  Database: ${data.db_path}`);
      out.line("");
      out.line(
        `Next: ${out.style.bold("lore doctor")} to check access, then ${out.style.bold("lore sync")}.`,
      );
    },
  };
}
