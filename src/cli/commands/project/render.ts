// Human views of `lore project`: the configured projects as an aligned table with what is stored
// of each, and a confirmation for each project added or removed with what to run next.

import { formatCount, plural } from "../../format/count.js";
import type { Column } from "../../format/table.js";
import type { Output } from "../../output.js";

export interface LocalData {
  readonly issues: number;
  readonly mrs: number;
  readonly discussions: number;
  readonly notes: number;
  readonly documents: number;
  readonly embedded: number;
}

function describeData(d: LocalData): string {
  return [
    plural(d.issues, "issue"),
    plural(d.mrs, "MR"),
    plural(d.discussions, "thread"),
    plural(d.notes, "note"),
    plural(d.documents, "document"),
  ].join(", ");
}

export interface AddedProject {
  readonly project: string;
  readonly status: "added" | "already_configured";
  /** Whether GitLab confirmed it (false: added unchecked, or --no-verify). */
  readonly verified: boolean;
  readonly gitlab_id: number | null;
  readonly visibility: string | null;
  /** The path as typed, when GitLab spells it differently (a rename, a transfer, case). */
  readonly requested?: string;
}

/** `lore project add`: each project added (or already there), then the sync that mirrors them. */
export function renderAdded(out: Output, results: readonly AddedProject[]): void {
  const s = out.style;
  for (const r of results) {
    const renamed = r.requested ? ` (GitLab's path for ${r.requested})` : "";
    if (r.status === "already_configured") {
      out.line(`${s.dim("·")} ${r.project}${renamed} is already configured`);
      continue;
    }
    const checked = r.verified ? s.dim(` (id ${r.gitlab_id}, ${r.visibility ?? "visibility unknown"})`) : "";
    out.line(`${s.green("✓")} Added ${s.bold(r.project)}${renamed}${checked}`);
  }
  const added = results.filter((r) => r.status === "added").map((r) => r.project);
  if (added.length > 0) {
    const sync = added.length === 1 ? `lore sync -p ${added[0]}` : "lore sync";
    out.line(`Next: ${s.bold(sync)} mirrors ${added.length === 1 ? "it" : "them"}.`);
  }
}

export interface RemovedProject {
  readonly project: string;
  readonly removed_from_config: boolean;
  readonly purged: boolean;
  readonly local_data: LocalData | null;
}

/** `lore project remove`: what left the config, what was deleted, and how to delete what stays. */
export function renderRemoved(out: Output, result: RemovedProject): void {
  const s = out.style;
  const path = result.project;
  const what = result.local_data ? describeData(result.local_data) : "";
  if (!result.removed_from_config) {
    out.line(
      `${s.green("✓")} Deleted the local data of ${s.bold(path)} (${what}); it was not in the config.`,
    );
  } else if (result.purged) {
    out.line(`${s.green("✓")} Removed ${s.bold(path)} from the config and deleted its local data (${what}).`);
  } else if (result.local_data) {
    out.line(`${s.green("✓")} Removed ${s.bold(path)} from the config. Its local data stays: ${what}.`);
    out.line(`To delete it: ${s.bold(`lore project remove ${path} --purge`)}`);
  } else {
    out.line(`${s.green("✓")} Removed ${s.bold(path)} from the config (nothing of it is stored locally).`);
  }
}

export interface ListedProject {
  readonly project: string;
  readonly configured: boolean;
  readonly issues: number;
  readonly mrs: number;
  readonly documents: number;
  readonly embedded: number;
  readonly last_synced_at: string | null;
}

/** `lore project list`: one row per project, and the purge for data of a project no longer configured. */
export function renderProjectList(out: Output, projects: readonly ListedProject[]): void {
  const s = out.style;
  out.page();
  const columns: (Column<ListedProject> | false)[] = [
    { header: "PROJECT", text: (p: ListedProject) => p.project, paint: (t) => s.bold(t), shrink: true },
    { header: "ISSUES", text: (p) => formatCount(p.issues), align: "right" },
    { header: "MRS", text: (p) => formatCount(p.mrs), align: "right" },
    { header: "DOCUMENTS", text: (p) => formatCount(p.documents), align: "right" },
    { header: "EMBEDDED", text: (p) => formatCount(p.embedded), align: "right" },
    {
      header: "LAST SYNC",
      text: (p) => (p.last_synced_at ? out.time(p.last_synced_at) : "never"),
      paint: (t) => s.dim(t),
    },
    // Data of a project no longer configured stays until purged: say how.
    projects.some((p) => !p.configured) && {
      header: "NOTE",
      text: (p) =>
        p.configured
          ? ""
          : `not configured; its local data remains: lore project remove ${p.project} --purge`,
      paint: (t) => s.yellow(t),
    },
  ];
  out.table(
    columns.filter((c): c is Column<ListedProject> => c !== false),
    projects,
  );
}
