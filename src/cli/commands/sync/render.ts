// The human views of a sync: the incremental/full summary per project, and the surgical outcome
// per entity. Warnings were printed as they happened; the summary repeats them at the end. The
// numbers are the ones each phase's last progress line showed.

import type { IncrementalSyncResult, ProjectResult } from "../../../sync/run-incremental.js";
import type { EntityOutcome, SurgicalResult } from "../../../sync/surgical.js";
import { formatCount, plural } from "../../format/count.js";
import type { Column } from "../../format/table.js";
import { formatDuration } from "../../format/time.js";
import type { Output, Style } from "../../output.js";

export function renderIncremental(out: Output, result: IncrementalSyncResult, elapsedMs: number): void {
  const s = out.style;
  out.line(`${s.green("✓")} ${result.mode} sync #${result.run_id} finished in ${formatDuration(elapsedMs)}`);
  const number = (header: string, pick: (p: ProjectResult) => number): Column<ProjectResult> => ({
    header,
    text: (p) => formatCount(pick(p)),
    align: "right",
  });
  const removed = result.projects.some((p) => p.issues_deleted + p.mrs_deleted > 0);
  const skipped = result.projects.some((p) => p.skipped_stale > 0);
  const columns: (Column<ProjectResult> | false)[] = [
    { header: "PROJECT", text: (p) => p.project, paint: (t) => s.bold(t), shrink: true, minWidth: 12 },
    number("ISSUES", (p) => p.issues_fetched),
    number("MRS", (p) => p.mrs_fetched),
    number("STORED", (p) => p.issues_ingested + p.mrs_ingested),
    removed && number("REMOVED", (p) => p.issues_deleted + p.mrs_deleted),
    skipped && number("SKIPPED", (p) => p.skipped_stale),
    number("DISCUSSIONS", (p) => p.discussions_fetched),
    number("NOTES", (p) => p.notes_upserted),
    number("EVENTS", (p) => p.events_fetched),
  ];
  if (result.projects.length > 0) {
    out.line();
    out.table(
      columns.filter((c): c is Column<ProjectResult> => c !== false),
      result.projects,
    );
    out.line();
  }
  out.line(
    `${plural(result.docs_regenerated, "document")} regenerated, ${formatCount(result.docs_embedded)} embedded`,
  );
  if (skipped) out.line(s.dim("SKIPPED: the local copy was newer (written by a surgical sync meanwhile)."));
  out.line(s.dim(`${plural(result.requests, "request")}, ${plural(result.retries, "retry", "retries")}`));
  renderWarnings(out, result.warnings);
}

export function renderSurgical(out: Output, result: SurgicalResult, elapsedMs: number): void {
  const s = out.style;
  const verb = result.dry_run ? "Dry run" : "Surgical sync";
  out.line(
    `${s.green("✓")} ${verb} #${result.run_id} of ${s.bold(result.project)} in ${formatDuration(elapsedMs)}`,
  );
  out.table(
    [
      { header: "REF", text: (e) => `${e.entity_type === "issue" ? "#" : "!"}${e.iid}` },
      { header: "OUTCOME", text: (e) => outcomeText(e), paint: (t, e) => outcomePaint(e, s)(t) },
      { header: "TITLE", text: (e) => e.title, shrink: true, minWidth: 16 },
      { header: "UPDATED", text: (e) => out.time(e.updated_at), paint: (t) => s.dim(t) },
    ],
    result.entities,
    { indent: 2 },
  );
  const unchanged = result.entities.filter((e) => e.status === "ingested" && e.changed === false).length;
  if (unchanged > 0) {
    out.line(
      s.dim(
        `  ${plural(unchanged, "entity was", "entities were")} unchanged; threads, events and links were refreshed all the same.`,
      ),
    );
  }
  if (!result.dry_run) {
    const c = result.counters;
    out.line(
      s.dim(
        `  ${plural(c.discussions_fetched, "discussion")}, ${plural(c.notes_upserted, "note")} written, ${plural(c.events_fetched, "event")} · ${plural(c.docs_regenerated, "document")} regenerated, ${formatCount(c.docs_embedded)} embedded · ${plural(result.requests, "request")}`,
      ),
    );
  }
  renderWarnings(out, result.warnings);
}

function renderWarnings(out: Output, warnings: readonly string[]): void {
  for (const w of warnings) out.line(`  ${out.style.yellow("warning:")} ${w}`);
}

function outcomeText(e: EntityOutcome): string {
  switch (e.status) {
    case "skipped_stale":
      return "skipped (local copy newer)";
    case "skipped_invalid":
      return "skipped (unexpected shape)";
    case "vanished":
      return "vanished";
    case "found":
      if (e.local_updated_at === null) return "would be added";
      return e.local_updated_at < e.updated_at ? "would be updated" : "would be refreshed";
    case "ingested":
      return e.changed === false ? "ingested (unchanged)" : "ingested";
  }
}

function outcomePaint(e: EntityOutcome, s: Style): (text: string) => string {
  switch (e.status) {
    case "skipped_stale":
    case "skipped_invalid":
      return s.yellow;
    case "vanished":
      return s.red;
    case "found":
      return s.cyan;
    case "ingested":
      return s.green;
  }
}
