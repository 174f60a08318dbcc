// Everything a command touches arrives through the context: config, database, GitLab client,
// embedding provider, output and the shutdown signal. Each is built once, on first use, and its
// modules are imported only then, so cheap commands (and `--version`) stay cheap.

import type { LoadedConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { type Env, resolveDbPath } from "../core/paths.js";
import type { ShutdownSignal } from "../core/shutdown.js";
import type { Db } from "../db/open.js";
import type { EmbeddingProvider } from "../embedding/provider.js";
import type { GitLabClient } from "../gitlab/client.js";
import { formatDuration } from "./format/time.js";
import type { Output } from "./output.js";

/** `sync`: the open-ended walks (gitlab.concurrency); `surgical`: bounded bursts (gitlab.surgicalConcurrency). */
export type ClientPurpose = "sync" | "surgical";

export interface CommandContext {
  readonly env: Env;
  readonly output: Output;
  readonly shutdown: ShutdownSignal;
  readonly signal: AbortSignal;
  readonly configPath: string;
  readonly version: string;
  /** The validated config; CONFIG error when missing or invalid. */
  config(): Config;
  /** The config when a valid one exists, else undefined (for status/doctor before init). */
  configIfPresent(): Config | undefined;
  dbPath(): string;
  /** Opens (creating and migrating) the database once; closed when the command ends. */
  db(): Promise<Db>;
  /** The GitLab client for this purpose, built once from the config and the token's env var. */
  gitlab(purpose: ClientPurpose): Promise<GitLabClient>;
  /** The configured embedding provider, built once; undefined when embedding is off. */
  embeddingProvider(): Promise<EmbeddingProvider | undefined>;
  /** Opens the database for reading only (read commands: works when it is not writable). */
  readDb(): Promise<Db>;
  close(): void;
}

export interface ContextOptions {
  readonly env: Env;
  readonly output: Output;
  readonly shutdown: ShutdownSignal;
  readonly configPath: string;
  readonly version: string;
  /** Reads and validates the config file at `configPath`, with warnings such as unknown keys. */
  readonly loadConfig: () => LoadedConfig;
}

export function createContext(options: ContextOptions): CommandContext {
  let config: Config | undefined;
  let db: Db | undefined;
  const clients = new Map<ClientPurpose, GitLabClient>();
  let provider: { value: EmbeddingProvider | undefined } | undefined;
  let readDb: Db | undefined;
  const onUpgrade = (pending: readonly { name: string }[]) =>
    options.output.info(
      `Upgrading the database schema (${pending.map((m) => m.name).join(", ")}); on a large mirror this can take a minute…`,
    );
  const ctx: CommandContext = {
    env: options.env,
    output: options.output,
    shutdown: options.shutdown,
    signal: options.shutdown.signal,
    configPath: options.configPath,
    version: options.version,
    config() {
      if (!config) {
        const loaded = options.loadConfig();
        for (const warning of loaded.warnings) options.output.warn(`${options.configPath}: ${warning}`);
        config = loaded.config;
      }
      return config;
    },
    configIfPresent() {
      try {
        return ctx.config();
      } catch {
        return undefined;
      }
    },
    dbPath() {
      return resolveDbPath(options.env, ctx.configIfPresent()?.storage.dbPath);
    },
    async db() {
      if (!db) {
        const { openDatabase } = await import("../db/open.js");
        db = openDatabase(ctx.dbPath(), { onUpgrade });
      }
      return db;
    },
    async gitlab(purpose) {
      let client = clients.get(purpose);
      if (!client) {
        const gitlab = ctx.config().gitlab;
        const { gitLabClientFromConfig } = await import("../gitlab/from-config.js");
        const concurrency = purpose === "surgical" ? gitlab.surgicalConcurrency : gitlab.concurrency;
        client = gitLabClientFromConfig({ ...gitlab, concurrency }, options.env, options.version, {
          onRetry: (r) =>
            options.output.debug(
              `retrying in ${formatDuration(r.delayMs)}: ${r.reason} on ${r.endpoint} (retry ${r.retry} of ${r.maxRetries})`,
            ),
        });
        clients.set(purpose, client);
      }
      return client;
    },
    async embeddingProvider() {
      if (!provider) {
        const { createEmbeddingProvider } = await import("../embedding/create-provider.js");
        provider = { value: createEmbeddingProvider(ctx.config().embedding, options.env) };
      }
      return provider.value;
    },
    async readDb() {
      if (!readDb) {
        const { openDatabaseForReading } = await import("../db/open.js");
        const { describeDamage, readDamage } = await import("../db/damage.js");
        readDb = openDatabaseForReading(ctx.dbPath(), { onUpgrade });
        const damage = readDamage(ctx.dbPath());
        if (damage) {
          options.output.warn(
            `the database was ${describeDamage(damage)}; results may be incomplete. Run lore doctor to check it again, or lore sync --recover to rebuild it.`,
          );
        }
      }
      return readDb;
    },
    close() {
      for (const handle of [db, readDb]) if (handle?.open) handle.close();
      db = undefined;
      readDb = undefined;
    },
  };
  return ctx;
}
