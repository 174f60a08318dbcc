// `lore issues` and `lore mrs`: a filtered list, everything stored about one entity, or (--web) its
// page in the browser.

import { LoreError, usageError } from "../../../core/errors.js";
import {
  countEntities,
  type EntityType,
  type ListFilters,
  listEntityRows,
  toSummary,
} from "../../../read/list-entities.js";
import { findEntities, showEntity } from "../../../read/show-entity.js";
import type { CommandResult, CommandRun, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { openInBrowser } from "../../open-url.js";
import { projectScope } from "../../project-filter.js";
import { type EntityListOptions, parseEntityListOptions, parseIid, parseProjectFlag } from "./options.js";
import { hasNarrowingFilters, renderDetail, renderList } from "./render.js";

const NAMES = {
  issue: { plural: "issues", single: "issue", sigil: "#", flag: "--issue", route: "issues" },
  merge_request: { plural: "mrs", single: "mr", sigil: "!", flag: "--mr", route: "merge_requests" },
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

/** The stored entity with this IID in the chosen project(s); NOT_IN_MIRROR or USAGE when not exactly one. */
async function findOne(type: EntityType, invocation: Invocation, ctx: CommandContext, webFallback: boolean) {
  const names = NAMES[type];
  const iid = parseIid(invocation.args[0], names.sigil);
  const config = ctx.config();
  const project = await chosenProject(ctx, invocation.options.project);
  const db = await ctx.readDb();
  const scope = projectScope(db, config, project);
  const found = scope.ids.length > 0 ? findEntities(db, type, scope.ids, iid) : [];
  if (found.length > 1) {
    throw usageError(
      `${names.sigil}${iid} exists in several projects: ${found.map((f) => f.project).join(", ")}`,
      `Pick one with -p, e.g. lore ${names.plural} ${iid} -p ${found[0]?.project}`,
    );
  }
  const match = found[0];
  if (match) return { db, iid, match, url: undefined };
  // --web needs no local copy when the project is known: GitLab's URL is built from its path.
  if (webFallback && scope.paths.length === 1) {
    const base = config.gitlab.baseUrl.replace(/\/+$/, "").replace(/\/api\/v4$/, "");
    return { db, iid, match: undefined, url: `${base}/${scope.paths[0]}/-/${names.route}/${iid}` };
  }
  const only = scope.paths.length === 1 ? scope.paths[0] : "PROJECT";
  const fetch = `lore sync -p ${only} ${names.flag} ${iid}`;
  throw new LoreError(
    "NOT_IN_MIRROR",
    `${names.sigil}${iid} is not in the local mirror${scope.paths.length === 1 ? ` of ${only}` : ""}.`,
    {
      suggestion: `Fetch it with: ${fetch}`,
      actions: [fetch],
      details: { iid, projects: scope.paths },
    },
  );
}

async function show(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const { db, match } = await findOne(type, invocation, ctx, false);
  const detail = showEntity(db, type, (match as { id: number }).id);
  await ctx.output.enableMarkdown();
  return { data: { [NAMES[type].single]: detail }, render: (out) => renderDetail(out, type, detail) };
}

async function web(type: EntityType, invocation: Invocation, ctx: CommandContext): Promise<CommandResult> {
  const { db, match, url } = await findOne(type, invocation, ctx, true);
  const webUrl =
    url ??
    (
      db
        .prepare(`SELECT web_url FROM ${NAMES[type].route} WHERE id = ?`)
        .get((match as { id: number }).id) as {
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
