// The human views of a sync: the incremental/full summary per project, and the surgical outcome
// per entity. Warnings were printed as they happened; the summary repeats them at the end.

import type { IncrementalSyncResult } from "../../../sync/run-incremental.js";
import type { EntityOutcome, SurgicalResult } from "../../../sync/surgical.js";
import type { Output, Style } from "../../output.js";

export function renderIncremental(out: Output, result: IncrementalSyncResult, elapsedMs: number): void {
  const s = out.style;
  out.line(
    `${s.green("✓")} ${result.mode} sync #${result.run_id} finished in ${(elapsedMs / 1000).toFixed(1)}s`,
  );
  for (const p of result.projects) {
    out.line(`  ${s.bold(p.project)}`);
    out.line(
      `    issues: ${p.issues_fetched} fetched, ${p.issues_ingested} stored${p.issues_deleted ? `, ${p.issues_deleted} removed` : ""}` +
        ` · merge requests: ${p.mrs_fetched} fetched, ${p.mrs_ingested} stored${p.mrs_deleted ? `, ${p.mrs_deleted} removed` : ""}`,
    );
    out.line(
      `    ${p.discussions_fetched} discussions, ${p.notes_upserted} notes written, ${p.events_fetched} events${p.skipped_stale ? `, ${p.skipped_stale} skipped (local copy newer)` : ""}`,
    );
  }
  out.line(`  documents regenerated: ${result.docs_regenerated} · embedded: ${result.docs_embedded}`);
  out.line(s.dim(`  ${result.requests} requests, ${result.retries} retries`));
  renderWarnings(out, result.warnings);
}

export function renderSurgical(out: Output, result: SurgicalResult, elapsedMs: number): void {
  const s = out.style;
  const verb = result.dry_run ? "Dry run" : "Surgical sync";
  out.line(
    `${s.green("✓")} ${verb} #${result.run_id} of ${s.bold(result.project)} in ${(elapsedMs / 1000).toFixed(2)}s`,
  );
  for (const e of result.entities) {
    const ref = `${e.entity_type === "issue" ? "#" : "!"}${e.iid}`;
    out.line(`  ${ref.padEnd(6)} ${describeOutcome(e, s)}  ${e.title} ${s.dim(`(updated ${e.updated_at})`)}`);
  }
  if (!result.dry_run) {
    const c = result.counters;
    out.line(
      s.dim(
        `  ${c.discussions_fetched} discussions, ${c.notes_upserted} notes written, ${c.events_fetched} events · ${c.docs_regenerated} documents regenerated, ${c.docs_embedded} embedded · ${result.requests} requests`,
      ),
    );
  }
  renderWarnings(out, result.warnings);
}

function renderWarnings(out: Output, warnings: readonly string[]): void {
  for (const w of warnings) out.line(`  ${out.style.yellow("warning:")} ${w}`);
}

function describeOutcome(e: EntityOutcome, s: Style): string {
  switch (e.status) {
    case "skipped_stale":
      return s.yellow("skipped (local copy newer)");
    case "skipped_invalid":
      return s.yellow("skipped (unexpected shape)");
    case "vanished":
      return s.red("vanished");
    case "found":
      if (e.local_updated_at === null) return s.cyan("would be added");
      return s.cyan(e.local_updated_at < e.updated_at ? "would be updated" : "would be refreshed");
    case "ingested":
      return e.changed === false
        ? `${s.green("ingested")} ${s.dim("(itself unchanged; threads, events and links refreshed)")}`
        : s.green("ingested");
  }
}
