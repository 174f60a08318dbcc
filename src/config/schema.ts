// The config file's schema: one source for validation, defaults and the Config type.

import { z } from "zod";
import { durationSeconds } from "../agent/max-age.js";

/** A project's full path, as GitLab names it: `group/subgroup/project`. */
export const ProjectPathSchema = z
  .string()
  .trim()
  .regex(/^[^/\s]+(\/[^/\s]+)+$/, "must be a full project path such as group/project");

export const GitlabConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }),
  tokenEnvVar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
    .default("GITLAB_TOKEN"),
  timeoutMs: z.number().int().positive().default(30_000),
  maxRetries: z.number().int().min(0).max(10).default(4),
  concurrency: z.number().int().min(1).max(64).default(8),
  // A surgical sync is a bounded burst (at most 100 IIDs, about six requests each), well inside a
  // minute's API quota, so it fans out wider than the open-ended incremental walk.
  surgicalConcurrency: z.number().int().min(1).max(64).default(32),
  // Whose dashboard `lore me` shows; `lore doctor` records it from the token's user when unset.
  username: z
    .string()
    .regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/, "must be a GitLab username such as jdoe (no @)")
    .optional(),
});

export const EmbeddingConfigSchema = z.object({
  provider: z.enum(["ollama", "openai", "none"]).default("ollama"),
  baseUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  model: z.string().min(1).optional(),
  apiKeyEnvVar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name")
    .default("OPENAI_API_KEY"),
  batchSize: z.number().int().min(1).max(2048).default(32),
  concurrency: z.number().int().min(1).max(32).default(2),
  timeoutMs: z.number().int().positive().default(60_000),
  maxRetries: z.number().int().min(0).max(10).default(3),
  chunkChars: z.number().int().min(200).max(100_000).default(2_000),
  chunkOverlapChars: z.number().int().min(0).max(10_000).default(200),
});

export const ConfigSchema = z.object({
  gitlab: GitlabConfigSchema,
  projects: z.array(z.object({ path: ProjectPathSchema })).min(1, "must name at least one project"),
  storage: z.object({ dbPath: z.string().min(1).optional() }).default({}),
  sync: z
    .object({
      overlapSeconds: z.number().int().min(0).max(86_400).default(300),
    })
    .default({ overlapSeconds: 300 }),
  embedding: EmbeddingConfigSchema.default(() => EmbeddingConfigSchema.parse({})),
  read: z
    .object({
      // Reads of one entity (lore issues IID, lore mrs IID, the MCP get tools) refresh a local copy
      // older than this first, as --max-age does; unset: answer from the local copy.
      maxAge: z
        .string()
        .refine((text) => durationSeconds(text) !== undefined, "must be a duration such as 30s, 5m, 2h or 0")
        .optional(),
    })
    .default({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type GitlabConfig = z.infer<typeof GitlabConfigSchema>;
export type EmbeddingConfig = z.infer<typeof EmbeddingConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
