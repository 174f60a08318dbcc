// `lore issues` and `lore mrs`: a filtered list, everything stored about one entity, or (--web) its
// page in the browser.

import { needsRefresh, resolveMaxAge } from "../../../agent/max-age.js";
import { usageError } from "../../../core/errors.js";
import { entitySyncedAt } from "../../../read/freshness.js";
import {
  countEntities,
  type EntityType,
  type ListFilters,
  listEntityRows,
  toSummary,
} from "../../../read/list-entities.js";
import { showEntity } from "../../../read/show-entity.js";
import type { CommandResult, CommandRun, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { type FreshRead, NOT_REFRESHED, refreshBeforeRead } from "../../fresh-read.js";
import { openInBrowser } from "../../open-url.js";
import { projectScope } from "../../project-filter.js";
import { lookUpStoredEntity, notInMirror, type StoredEntity } from "../../stored-entity.js";
import { type EntityListOptions, parseEntityListOptions, parseIid, parseProjectFlag } from "./options.js";
import { hasNarrowingFilters, renderDetail, renderList } from "./render.js";

const NAMES = {
  issue: { plural: "issues", single: "issue", sigil: "#", route: "issues" },
  merge_request: { plural: "mrs", single: "mr", sigil: "!", route: "merge_requests" },
} as const;

export function entitiesCommand(type: EntityType): CommandRun {
  return (invocation, ctx) => {
    if (invocation.args[0] !== undefined) {
      return invocation.options.web === true ? web(type, invocation, ctx) : show(type, invocation, ctx);
    }
    if (invocation.options.web === true) {
      throw usageError(
        `--web opens one ${type === "issue" ? "issue" : "merge request"}: give its IID`,
        `e.g. lore ${NAMES[type].plural} 42 --web`,
      );
    }
    return list(type, invocation, ctx);
  };
}

/** `-p`, else the configured project this directory's git remote names (with several configured). */
async function chosenProject(ctx: CommandContext, flag: unknown): Promise<string | undefined> {
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const explicit = parseProjectFlag(flag, configured);
  if (explicit !== undefined || configured.length < 2) return explicit;
  const { configuredProjectForRemote, readOriginUrl } = await import("../../../config/git-remote.js");
  const remote = readOriginUrl();
  const inferred = remote ? configuredProjectForRemote(remote, config.gitlab.baseUrl, configured) : undefined;
  if (inferred) ctx.output.debug(`project ${inferred}, from this directory's git remote (-p picks another)`);
  return inferred;
}

function filtersOf(options: EntityListOptions, projectIds: readonly number[]): ListFilters {
  const { project: _project, limit: _limit, sort: _sort, ascending: _ascending, ...filters } = options;
  return { ...filters, projectIds };
}

async function list(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const config = ctx.config();
  const options = parseEntityListOptions(
    invocation.options,
    config.projects.map((p) => p.path),
  );
  const project = options.project ?? (await chosenProject(ctx, undefined));
  const db = await ctx.readDb();
  const scope = projectScope(db, config, project);
  const filters = filtersOf(options, scope.ids);
  const sort = { by: options.sort, ascending: options.ascending };
  const rows = scope.ids.length === 0 ? [] : listEntityRows(db, type, filters, options.limit, sort);
  // The count line needs the total only when the list was cut; robot output has no count line.
  const total =
    !ctx.output.robot && rows.length === options.limit && scope.ids.length > 0
      ? countEntities(db, type, filters)
      : rows.length;
  const data = { [NAMES[type].plural]: rows.map(toSummary) };
  return {
    data,
    render: (out) =>
      renderList(out, {
        type,
        rows,
        total,
        state: options.state,
        sort: options.sort,
        projects: scope.paths,
        nothingSynced: scope.ids.length === 0,
        filtered: hasNarrowingFilters(options),
      }),
  };
}

/**
 * The stored entity with this IID in the chosen project(s), refreshed first by a surgical sync when
 * `--max-age` says the local copy is too old (or missing); NOT_IN_MIRROR or USAGE when not exactly
 * one. With `webFallback`, a missing entity of a known project yields its URL instead.
 */
async function findOne(type: EntityType, invocation: Invocation, ctx: CommandContext, webFallback: boolean) {
  const names = NAMES[type];
  const iid = parseIid(invocation.args[0], names.sigil);
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const project = await chosenProject(ctx, invocation.options.project);
  const maxAge = webFallback ? undefined : resolveMaxAge(invocation.options.maxAge, config.read.maxAge);
  const db = await ctx.readDb();
  const scope = projectScope(db, config, project);
  const retry = `lore ${names.plural} ${iid}`;
  const locate = () => lookUpStoredEntity(db, projectScope(db, config, project), type, iid, retry);
  let match: StoredEntity | undefined = scope.ids.length > 0 ? locate() : undefined;

  let fresh: FreshRead = NOT_REFRESHED;
  // Where a refresh would fetch it from: its own project, else the one -p or the config names.
  const target = match?.project ?? project ?? (configured.length === 1 ? configured[0] : undefined);
  if (maxAge !== undefined && target !== undefined) {
    const syncedAt = match ? entitySyncedAt(db, type, match.id) : null;
    if (needsRefresh(syncedAt, maxAge, Date.now())) {
      const refs = type === "issue" ? { issues: [iid], mrs: [] } : { issues: [], mrs: [iid] };
      fresh = await refreshBeforeRead(
        ctx,
        { project: target, ...refs },
        { localCopySyncedAt: match ? syncedAt : undefined },
      );
      if (fresh.refreshed) match = locate();
    }
  }
  if (match) return { db, iid, match, url: undefined, fresh };
  // --web needs no local copy when the project is known: GitLab's URL is built from its path.
  if (webFallback && scope.paths.length === 1) {
    const base = config.gitlab.baseUrl.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
    return { db, iid, match: undefined, url: `${base}/${scope.paths[0]}/-/${names.route}/${iid}`, fresh };
  }
  throw notInMirror(type, iid, scope.paths, retry);
}

async function show(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const { db, match, fresh } = await findOne(type, invocation, ctx, false);
  const detail = showEntity(db, type, (match as StoredEntity).id);
  await ctx.output.enableMarkdown();
  return {
    data: { [NAMES[type].single]: detail, ...fresh },
    render: (out) => renderDetail(out, type, detail),
  };
}

async function web(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const { db, match, url } = await findOne(type, invocation, ctx, true);
  const webUrl =
    url ??
    (
      db.prepare(`SELECT web_url FROM ${NAMES[type].route} WHERE id = ?`).get((match as StoredEntity).id) as {
        web_url: string;
      }
    ).web_url;
  // A browser only for a person at a terminal; scripts and agents get the URL.
  const opened = ctx.output.tty && openInBrowser(webUrl, ctx.env);
  return {
    data: { web_url: webUrl, opened },
    render: (out) => {
      if (opened) out.info(`Opening ${webUrl} in your browser.`);
      else out.line(webUrl);
    },
  };
}
