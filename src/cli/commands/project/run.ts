// `lore project add|remove|list`: the configured projects, changed without touching other settings.

import { existsSync } from "node:fs";
import { editConfigFile, withoutProject, withProjects } from "../../../config/edit.js";
import { resolveProjectPath } from "../../../config/projects.js";
import { ProjectPathSchema } from "../../../config/schema.js";
import { isLoreError, LoreError, usageError } from "../../../core/errors.js";
import type { Db } from "../../../db/open.js";
import { type ProjectStats, projectStats } from "../../../status/project-stats.js";
import type { CommandRun } from "../../command.js";
import type { CommandContext } from "../../context.js";
import {
  type AddedProject,
  type LocalData,
  renderAdded,
  renderProjectList,
  renderRemoved,
} from "./render.js";

function localData(stats: ProjectStats): LocalData {
  const { issues, mrs, discussions, notes, documents, embedded } = stats;
  return { issues, mrs, discussions, notes, documents, embedded };
}

/** What the database holds of `path`, when the database exists and has the project. */
function storedProject(db: Db | undefined, path: string): ProjectStats | undefined {
  if (!db) return undefined;
  return projectStats(db, [path]).find(
    (s) => s.project_id !== null && s.project.toLowerCase() === path.toLowerCase(),
  );
}

/** A path as given on the command line, checked before any network or file work. */
function parseProjectPath(text: string): string {
  const path = text.trim().replace(/^\/+|\/+$/g, "");
  const parsed = ProjectPathSchema.safeParse(path);
  if (!parsed.success) throw usageError(`${text}: must be a full project path such as group/project`);
  return parsed.data;
}

const add: CommandRun = async (invocation, ctx) => {
  const requested = [...new Set((invocation.args[0] as string[]).map(parseProjectPath))];
  const verify = invocation.options.verify !== false;
  const config = ctx.config();
  const isConfigured = (path: string) =>
    config.projects.some((p) => p.path.toLowerCase() === path.toLowerCase());
  const warnings: string[] = [];
  const results: AddedProject[] = [];
  const client = verify ? await quickClient(ctx) : undefined;
  const anonymous = !ctx.env[config.gitlab.tokenEnvVar];
  const { verifyProject } = await import("../../../projects/verify.js");
  for (const path of requested) {
    if (isConfigured(path) || results.some((r) => r.project.toLowerCase() === path.toLowerCase())) {
      results.push({
        project: path,
        status: "already_configured",
        verified: false,
        gitlab_id: null,
        visibility: null,
      });
      continue;
    }
    const found = client
      ? await verifyProject(client, path, anonymous, config.gitlab.tokenEnvVar, ctx.signal).catch(
          (error: unknown) => {
            // All or nothing, as a surgical preflight: say so when others were asked for too.
            if (requested.length === 1 || !(error instanceof LoreError)) throw error;
            throw new LoreError(error.code, `${error.message} Nothing was added.`, {
              ...(error.suggestion ? { suggestion: error.suggestion } : {}),
              actions: error.actions,
              ...(error.details ? { details: error.details } : {}),
            });
          },
        )
      : { status: "unchecked" as const, reason: "--no-verify" };
    if (found.status === "unchecked") {
      if (verify)
        warnings.push(
          `Could not check ${path} on GitLab (${found.reason}); added unchecked: lore doctor checks it.`,
        );
      results.push({ project: path, status: "added", verified: false, gitlab_id: null, visibility: null });
      continue;
    }
    const duplicate = isConfigured(found.path) || results.some((r) => r.project === found.path);
    results.push({
      project: found.path,
      status: duplicate ? "already_configured" : "added",
      verified: true,
      gitlab_id: found.id,
      visibility: found.visibility,
      ...(found.path !== path ? { requested: path } : {}),
    });
  }
  const added = results.filter((r) => r.status === "added").map((r) => r.project);
  if (added.length > 0) {
    const edited = editConfigFile(ctx.configPath, "projects", (document) => withProjects(document, added));
    warnings.push(...edited.warnings);
  }
  for (const warning of warnings) ctx.output.warn(warning);
  const data = { projects: results, config_path: ctx.configPath, warnings };
  return { data, render: (out) => renderAdded(out, results) };
};

/** A client that answers quickly: one retry at most and a short timeout, as doctor uses. */
async function quickClient(ctx: CommandContext) {
  const { gitLabClientFromConfig } = await import("../../../gitlab/from-config.js");
  const gitlab = ctx.config().gitlab;
  return gitLabClientFromConfig(
    { ...gitlab, timeoutMs: Math.min(gitlab.timeoutMs, 10_000), maxRetries: 1 },
    ctx.env,
    ctx.version,
  );
}

const remove: CommandRun = async (invocation, ctx) => {
  const text = String(invocation.args[0]);
  const purge = invocation.options.purge === true;
  const configured = ctx.config().projects.map((p) => p.path);
  const dbExists = existsSync(ctx.dbPath());
  let path: string;
  let inConfig = true;
  try {
    path = resolveProjectPath(configured, text, text);
  } catch (error) {
    // A project removed from the config earlier can still have its local data purged.
    const full = ProjectPathSchema.safeParse(text.trim().replace(/^\/+|\/+$/g, ""));
    const stored = purge && dbExists && full.success ? storedProject(await ctx.db(), full.data) : undefined;
    if (!isLoreError(error, "USAGE") || !stored) throw error;
    path = stored.project;
    inConfig = false;
  }
  if (inConfig && configured.length === 1) {
    throw usageError(
      `${path} is the only configured project, and lore needs one.`,
      "Add the project to keep first: lore project add GROUP/PROJECT",
    );
  }
  const db = dbExists ? await (purge ? ctx.db() : ctx.readDb()) : undefined;
  const stored = storedProject(db, path);
  const data = stored ? localData(stored) : null;
  if (purge && db && stored?.project_id) {
    const { purgeProject } = await import("../../../projects/purge.js");
    purgeProject(db, stored.project_id);
  }
  if (inConfig) editConfigFile(ctx.configPath, "projects", (document) => withoutProject(document, path));
  const result = {
    project: path,
    removed_from_config: inConfig,
    purged: purge && data !== null,
    local_data: data,
    config_path: ctx.configPath,
  };
  return { data: result, render: (out) => renderRemoved(out, result) };
};

const list: CommandRun = async (_invocation, ctx) => {
  const configured = ctx.config().projects.map((p) => p.path);
  // The database is not created just to list: before the first sync every count is zero.
  const db = existsSync(ctx.dbPath()) ? await ctx.readDb() : undefined;
  const stats = db ? projectStats(db, configured) : [];
  const projects = [
    ...configured.map((path) => ({ path, configured: true })),
    ...stats
      .filter((s) => !configured.some((path) => path.toLowerCase() === s.project.toLowerCase()))
      .map((s) => ({ path: s.project, configured: false })),
  ].map(({ path, configured: inConfig }) => {
    const s = stats.find((row) => row.project.toLowerCase() === path.toLowerCase());
    return {
      project: path,
      configured: inConfig,
      issues: s?.issues ?? 0,
      mrs: s?.mrs ?? 0,
      documents: s?.documents ?? 0,
      embedded: s?.embedded ?? 0,
      last_synced_at: s?.last_synced_at ?? null,
    };
  });
  const data = { projects, config_path: ctx.configPath };
  return { data, render: (out) => renderProjectList(out, projects) };
};

export const projectCommands = { add, remove, list };
