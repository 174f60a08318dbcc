// Sync progress on stderr. Per project: the issue and merge request walks against their goals
// (GitLab's counts, asked for long walks only) with percentage, rate and ETA, and the elapsed time
// while a first page is slow; per stage: documents and embeddings as count/total. When a phase
// ends its line is closed with the final numbers — the same ones the summary prints.

import type { ListTotal } from "../../../gitlab/client.js";
import type { StageProgress } from "../../../sync/post-stages.js";
import type { WalkProgress } from "../../../sync/run-incremental.js";
import { formatCount, plural } from "../../format/count.js";
import { countAgainst, etaMs, rateText, stageProgressText } from "../../format/progress.js";
import { formatDuration } from "../../format/time.js";
import type { Output, Progress } from "../../output.js";

/**
 * Entities a walk is through with: stored, found unchanged, or skipped. Listing runs ahead of this
 * (a page or two), but the work — fetching each one's threads and events — is what takes time.
 */
export function handled(c: WalkProgress["issues"]): number {
  return c.ingested + c.unchanged + c.skipped_stale + c.vanished + c.skipped_invalid;
}

function kindText(name: string, c: WalkProgress["issues"], goal: ListTotal | undefined): string {
  const done = handled(c);
  if (goal) return `${name} ${countAgainst(done, goal)}`;
  return `${name} ${formatCount(done)}${c.fetched > done ? ` of ${formatCount(c.fetched)} listed` : ""}`;
}

/** The live line of a project's walks. */
export function walkProgressText(p: WalkProgress, elapsedMs: number): string {
  const done = handled(p.issues) + handled(p.mrs);
  if (p.issues.fetched + p.mrs.fetched === 0 && !p.done) return "waiting for the first page";
  const goals = [p.totals.issues, p.totals.mrs];
  const total = goals.every((g) => g?.exact)
    ? Math.max(
        goals.reduce((sum, g) => sum + (g?.count ?? 0), 0),
        done,
      )
    : undefined;
  const eta = etaMs(done, total, elapsedMs);
  return [
    kindText("issues", p.issues, p.totals.issues),
    kindText("merge requests", p.mrs, p.totals.mrs),
    rateText(done, elapsedMs),
    eta === undefined ? undefined : `ETA ${formatDuration(eta)}`,
  ]
    .filter((part) => part !== undefined)
    .join(" · ");
}

/** The closing line of a project's walks: what the summary's row for it says. */
export function walkSummaryText(p: WalkProgress): string {
  return `${plural(p.issues.fetched, "issue")}, ${plural(p.mrs.fetched, "merge request")} listed · ${formatCount(p.issues.ingested + p.mrs.ingested)} stored`;
}

export function stageSummaryText(stage: "docs" | "embed", p: StageProgress): string {
  return stage === "docs"
    ? `${plural(p.written, "document")} regenerated`
    : `${plural(p.written, "document")} embedded`;
}

const STAGE_LABELS = {
  docs: "Regenerating documents",
  embed: "Embedding documents",
} as const;

const BACKFILL_LABEL = "Indexing cross-references of stored issues and merge requests (once, offline)";

const SURGICAL_LABELS: Record<string, string> = {
  preflight: "Checking IIDs on GitLab",
  fetch: "Fetching discussions, events and links",
  ingest: "Storing entities",
};

/** The hooks a sync reports through, drawing its progress on the output's stderr. */
export function syncProgress(output: Output, projectCount: number) {
  let progress: Progress | undefined;
  let closing: (() => string | undefined) | undefined;
  let phaseStarted = performance.now();
  let projectIndex = 0;
  let lastWalk: WalkProgress | undefined;
  let lastStage: StageProgress | undefined;

  const close = () => {
    progress?.done(closing?.());
    progress = undefined;
    closing = undefined;
  };
  const start = (label: string, text?: string, final?: () => string | undefined) => {
    close();
    progress = output.progress(label);
    if (text) progress.update(text);
    closing = final;
    phaseStarted = performance.now();
  };

  return {
    onPhase(phase: string, detail?: string) {
      if (phase === "project") {
        projectIndex += 1;
        const label = projectCount > 1 ? `${detail ?? ""} (${projectIndex}/${projectCount})` : (detail ?? "");
        start(label, "looking up the project", () =>
          lastWalk?.done ? walkSummaryText(lastWalk) : undefined,
        );
        lastWalk = undefined;
      } else if (phase === "entities") {
        // Same line as the project's lookup; the rate counts from the first list request.
        phaseStarted = performance.now();
        progress?.update("waiting for the first page");
      } else if (phase === "docs" || phase === "embed") {
        const stage = phase;
        start(STAGE_LABELS[stage], undefined, () =>
          lastStage ? stageSummaryText(stage, lastStage) : undefined,
        );
        lastStage = undefined;
      } else if (phase === "references") {
        start(BACKFILL_LABEL);
      } else if (SURGICAL_LABELS[phase]) {
        start(SURGICAL_LABELS[phase]);
      } else {
        close();
      }
    },
    onProgress(walk: WalkProgress) {
      lastWalk = walk;
      progress?.update(walkProgressText(walk, performance.now() - phaseStarted));
    },
    onStageProgress(_stage: "docs" | "embed", stage: StageProgress) {
      lastStage = stage;
      progress?.update(stageProgressText(stage, performance.now() - phaseStarted));
    },
    onBackfillProgress(done: number, total: number) {
      progress?.update(`${formatCount(done)} of ${plural(total, "entity", "entities")}`);
    },
    /** Ends the line in progress (the run finished, failed or was stopped). */
    close,
  };
}
