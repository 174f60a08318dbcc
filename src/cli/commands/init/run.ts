// `lore init`: builds a config from flags (or prompts on a TTY), validates it, writes it atomically.

import { createInterface } from "node:readline/promises";
import { describeIssues } from "../../../config/load.js";
import { type ConfigInput, ConfigSchema } from "../../../config/schema.js";
import { writeConfig } from "../../../config/write.js";
import { LoreError, usageError } from "../../../core/errors.js";
import type { ProbeOutcome } from "../../../embedding/probe.js";
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

function isInteractive(ctx: CommandContext): boolean {
  return !ctx.output.robot && process.stdin.isTTY === true && process.stderr.isTTY === true;
}

async function promptMissing(options: InitOptions, ctx: CommandContext): Promise<InitOptions> {
  if (!isInteractive(ctx) || (options.gitlabUrl && options.projects.length > 0)) return options;
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
  const given = parseInitOptions(invocation.options);
  if (given.embeddingProvider !== undefined && !isProvider(given.embeddingProvider)) {
    throw usageError(
      `Invalid --embedding-provider ${given.embeddingProvider}: expected ollama, openai or none`,
    );
  }
  const options = await promptMissing(given, ctx);
  if (!options.gitlabUrl)
    throw new LoreError("USAGE", "Missing --gitlab-url.", {
      suggestion: "Example: lore init --gitlab-url https://gitlab.com --project group/project",
    });
  if (options.projects.length === 0)
    throw new LoreError("USAGE", "Missing --project (give at least one).", {
      suggestion: "Example: lore init --gitlab-url https://gitlab.com --project group/project",
    });

  const embedding = await chooseEmbedding(options, ctx);
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
      provider: embedding.provider,
      ...(embedding.baseUrl ? { baseUrl: embedding.baseUrl } : {}),
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
    embedding_probe: embedding.probe ?? null,
    /** Complete commands that turn semantic search on; empty when it is on. */
    embedding_actions: embedding.enable,
    warnings: embedding.warnings,
  };
  for (const warning of embedding.warnings) ctx.output.warn(warning);
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
      out.line(`  Search:   ${describeSearch(data.embedding_provider, embedding.probe)}`);
      if (embedding.enable.length > 0) {
        out.line(
          `  For semantic search later: ${embedding.enable.map((c) => out.style.bold(c)).join(", then ")}`,
        );
      }
      out.line("");
      out.line(
        `Next: ${out.style.bold("lore doctor")} to check access, then ${out.style.bold("lore sync")}.`,
      );
    },
  };
}

type Provider = "ollama" | "openai" | "none";
const PROVIDERS: readonly Provider[] = ["ollama", "openai", "none"];
const isProvider = (value: string): value is Provider => (PROVIDERS as readonly string[]).includes(value);

interface EmbeddingChoice {
  readonly provider: Provider;
  /** From --embedding-url (or $OLLAMA_HOST for Ollama); undefined leaves the provider's default. */
  readonly baseUrl: string | undefined;
  readonly probe: ProbeOutcome | undefined;
  readonly warnings: string[];
  readonly enable: string[];
}

/**
 * Which embedding provider the config gets. An explicit --embedding-provider is kept, with a warning
 * when it does not answer. Otherwise the default (Ollama, where $OLLAMA_HOST or --embedding-url
 * says) is asked: it answers with the model → ollama; else none, and the way to turn semantic
 * search on later. On a terminal the user is asked, with the probe's finding as the default.
 */
async function chooseEmbedding(options: InitOptions, ctx: CommandContext): Promise<EmbeddingChoice> {
  const { ollamaUrlFromEnv, probeEmbeddingProvider } = await import("../../../embedding/probe.js");
  const explicit = options.embeddingProvider as Provider | undefined;
  const model = options.embeddingModel;
  const ollamaUrl = options.embeddingUrl ?? ollamaUrlFromEnv(ctx.env);
  const probe = (provider: Provider) =>
    probeEmbeddingProvider(
      {
        provider,
        baseUrl: provider === "ollama" ? ollamaUrl : options.embeddingUrl,
        model,
        apiKeyEnvVar: "OPENAI_API_KEY",
      },
      ctx.env,
      ctx.signal,
    );
  const choice = (
    provider: Provider,
    found: ProbeOutcome | undefined,
    why: "flag" | "answer" | "probe",
  ): EmbeddingChoice => {
    const baseUrl = provider === "ollama" ? ollamaUrl : options.embeddingUrl;
    const warnings: string[] = [];
    const enable: string[] = [];
    if (found && !found.ok && why !== "probe") {
      const given = why === "flag" ? `--embedding-provider ${provider}` : `embedding provider ${provider}`;
      warnings.push(
        `${given}: ${found.detail}. Kept as given; search is lexical until it answers${found.fix.length > 0 ? ` (${found.fix.join("; ")})` : ""}.`,
      );
    } else if (provider === "none") {
      const ollama = found?.provider === "ollama" ? found : undefined;
      enable.push(...(ollama?.fix ?? ["ollama serve", `ollama pull ${model ?? "nomic-embed-text"}`]));
      enable.push("lore config set embedding.provider ollama", "lore embed");
    }
    return { provider, baseUrl, probe: found, warnings, enable };
  };

  if (explicit === "none") return choice("none", undefined, "flag");
  if (explicit) return choice(explicit, await probe(explicit), "flag");
  const found = await probe("ollama");
  if (!isInteractive(ctx)) return choice(found?.ok ? "ollama" : "none", found, "probe");
  const suggested: Provider = found?.ok ? "ollama" : "none";
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    process.stderr.write(
      `Semantic search needs an embedding provider: ${found?.ok ? `found ${found.detail}` : `${found?.detail ?? "none found"}`}.\n`,
    );
    for (;;) {
      const answer =
        (await rl.question(`Embedding provider (ollama, openai, none) [${suggested}]: `)).trim() || suggested;
      if (!isProvider(answer)) continue;
      if (answer === suggested || answer === "none") return choice(answer, found, "probe");
      return choice(answer, answer === "ollama" ? found : await probe(answer), "answer");
    }
  } finally {
    rl.close();
  }
}

function describeSearch(provider: string, probe: ProbeOutcome | undefined): string {
  if (provider === "none") {
    return `lexical only (embedding provider none${probe && !probe.ok ? `: ${probe.detail}` : ""})`;
  }
  return probe?.ok
    ? `lexical and semantic (${probe.detail})`
    : `lexical and semantic once ${provider} answers`;
}
