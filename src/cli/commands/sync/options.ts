// Turns `lore sync` flags into one validated SyncOptions value, shared by incremental, full and
// surgical sync. Every violation is USAGE, raised before any network request or database write.

import { resolveProjectPath } from "../../../config/projects.js";
import { usageError } from "../../../core/errors.js";
import { parseEntityUrl } from "../../../gitlab/entity-url.js";

export const MAX_SURGICAL_IIDS = 100;

export interface RawSyncFlags {
  readonly project?: unknown;
  readonly full?: unknown;
  readonly docs?: unknown;
  readonly embed?: unknown;
  readonly issue?: unknown;
  readonly mr?: unknown;
  readonly dryRun?: unknown;
  readonly recover?: unknown;
}

export interface SyncTarget {
  readonly configuredProjects: readonly string[];
  readonly gitlabUrl: string;
}

interface Common {
  readonly docs: boolean;
  readonly embed: boolean;
}

export type SyncOptions =
  | (Common & {
      readonly mode: "incremental" | "full";
      readonly projects: readonly string[];
      /** Make the database sound first: move a damaged file aside, rebuild a stale search index. */
      readonly recover: boolean;
    })
  | (Common & {
      readonly mode: "surgical";
      readonly project: string;
      readonly issues: readonly number[];
      readonly mrs: readonly number[];
      readonly dryRun: boolean;
    });

function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

interface ParsedRef {
  readonly type: "issue" | "merge_request";
  readonly iid: number;
  readonly projectPath?: string;
}

function parseRef(value: string, flagType: "issue" | "merge_request", gitlabUrl: string): ParsedRef {
  const flag = flagType === "issue" ? "--issue" : "--mr";
  const text = value.trim();
  const shortRef = flagType === "issue" ? /^#(\d+)$/ : /^!(\d+)$/;
  const digits = /^\d+$/.test(text) ? text : shortRef.exec(text)?.[1];
  const positive = (text: string): number => {
    const iid = Number(text);
    if (!Number.isSafeInteger(iid) || iid < 1)
      throw usageError(`${flag} ${value}: an IID is a positive integer`);
    return iid;
  };
  if (digits !== undefined) return { type: flagType, iid: positive(digits) };
  // GitLab's full reference (`references.full`): group/project#42, group/project!7.
  const fullRef = /^([^\s#!]+\/[^\s#!]+)([#!])(\d+)$/.exec(text);
  if (fullRef) {
    const [, projectPath = "", sigil, digits = ""] = fullRef;
    const type = sigil === "#" ? "issue" : "merge_request";
    if (type !== flagType) {
      throw usageError(
        `${flag} ${value}: ${sigil === "#" ? "#N names an issue; pass it with --issue" : "!N names a merge request; pass it with --mr"}`,
      );
    }
    return { type, iid: positive(digits), projectPath };
  }
  if (/^https?:\/\//i.test(text)) {
    const url = parseEntityUrl(text, gitlabUrl);
    if (!url) throw usageError(`${flag} ${value}: not an issue or merge request URL of ${gitlabUrl}`);
    if (url.type !== flagType) {
      const other = url.type === "issue" ? "--issue" : "--mr";
      throw usageError(
        `${flag} ${value}: this is ${url.type === "issue" ? "an issue" : "a merge request"} URL; pass it with ${other}`,
      );
    }
    return url;
  }
  throw usageError(
    `${flag} ${value}: expected an IID (42, ${flagType === "issue" ? "#42, group/project#42" : "!42, group/project!42"}) or a web URL of the ${flagType === "issue" ? "issue" : "merge request"}`,
  );
}

export function parseSyncOptions(flags: RawSyncFlags, target: SyncTarget): SyncOptions {
  const docs = flags.docs !== false;
  const embed = flags.embed !== false;
  const projectFlag = typeof flags.project === "string" ? flags.project : undefined;
  const selected =
    projectFlag === undefined ? undefined : resolveProjectPath(target.configuredProjects, projectFlag);
  const issueValues = list(flags.issue);
  const mrValues = list(flags.mr);

  if (issueValues.length === 0 && mrValues.length === 0) {
    if (flags.dryRun === true)
      throw usageError("--dry-run needs --issue or --mr (it previews a surgical sync)");
    return {
      mode: flags.full === true ? "full" : "incremental",
      projects: selected ? [selected] : [...target.configuredProjects],
      docs,
      embed,
      recover: flags.recover === true,
    };
  }
  if (flags.recover === true)
    throw usageError("--recover cannot be combined with --issue or --mr (it rebuilds the whole mirror)");
  if (flags.full === true) throw usageError("--full cannot be combined with --issue or --mr");
  let project = selected;
  if (!project) {
    if (target.configuredProjects.length !== 1) {
      throw usageError(
        `-p is required with --issue/--mr when several projects are configured (${target.configuredProjects.join(", ")})`,
      );
    }
    project = target.configuredProjects[0] as string;
  }
  const refs = [
    ...issueValues.map((v) => ({ value: v, ref: parseRef(v, "issue", target.gitlabUrl) })),
    ...mrValues.map((v) => ({ value: v, ref: parseRef(v, "merge_request", target.gitlabUrl) })),
  ];
  for (const { value, ref } of refs) {
    if (ref.projectPath !== undefined && ref.projectPath.toLowerCase() !== project.toLowerCase()) {
      throw usageError(
        `${value} belongs to ${ref.projectPath}, not to ${project}`,
        `Use -p ${ref.projectPath} for it.`,
      );
    }
  }
  const unique = (type: "issue" | "merge_request") => [
    ...new Set(refs.filter((r) => r.ref.type === type).map((r) => r.ref.iid)),
  ];
  const issues = unique("issue");
  const mrs = unique("merge_request");
  if (issues.length + mrs.length > MAX_SURGICAL_IIDS) {
    throw usageError(
      `Surgical sync takes at most ${MAX_SURGICAL_IIDS} IIDs; got ${issues.length + mrs.length}`,
      "Split the list, or run a plain `lore sync`.",
    );
  }
  return { mode: "surgical", project, issues, mrs, docs, embed, dryRun: flags.dryRun === true };
}
