// The human view of a timeline: what it covers, then one line per event grouped by day (UTC), then
// what was left out and what the mirror does not hold, with the sync that fetches it.

import type { TimelineResult, UnresolvedReference } from "../../../history/timeline.js";
import type { Output } from "../../output.js";

const sigil = (type: string) => (type === "merge_request" ? "!" : "#");

export function renderTimeline(out: Output, data: TimelineResult, configured: readonly string[]): void {
  const s = out.style;
  if (data.seeds.length === 0) {
    out.line(
      s.dim(
        data.query === null
          ? "Nothing to show."
          : `No issue or merge request matches ${JSON.stringify(data.query)}.`,
      ),
    );
    return;
  }
  const name = (e: { project: string; entity_type: string; iid: number }) =>
    `${e.project}${sigil(e.entity_type)}${e.iid}`;
  const seeds = data.entities.filter((e) => e.depth === 0);
  const heading = data.query === null ? "Timeline of" : `Timeline for ${JSON.stringify(data.query)}:`;
  out.line(s.bold(`${heading} ${seeds.map((e) => `${name(e)} "${e.title}"`).join(", ")}`));
  for (const e of data.entities.filter((x) => x.depth > 0)) {
    out.line(`  ${s.bold(name(e))} ${e.title} ${s.dim(`(${e.state}; ${e.via}, depth ${e.depth})`)}`);
  }
  if (data.omitted_entities > 0) out.line(s.dim(`  … ${data.omitted_entities} more entities not followed`));
  out.line("");

  if (data.events.length === 0) out.line(s.dim("No events."));
  const width = Math.max(0, ...data.events.map((e) => name(e).length));
  let day = "";
  for (const event of data.events) {
    const eventDay = event.at.slice(0, 10);
    if (eventDay !== day) {
      if (day !== "") out.line("");
      day = eventDay;
      out.line(s.bold(eventDay));
    }
    const time = event.at.slice(11, 19);
    const actor = event.actor ? `@${event.actor}` : "";
    out.line(
      `  ${s.dim(time)}  ${name(event).padEnd(width)}  ${s.cyan(actor)}${actor ? " " : ""}${event.summary}`,
    );
  }
  if (data.omitted_events > 0) {
    out.line("");
    out.line(s.dim(`${data.omitted_events} earlier events left out (raise -n to see them).`));
  }
  if (data.unresolved_references.length > 0) {
    out.line("");
    out.line(s.bold("Not in the mirror"));
    for (const ref of data.unresolved_references) out.line(`  ${unresolvedLine(ref, configured)}`);
    if (data.omitted_unresolved_references > 0)
      out.line(s.dim(`  … and ${data.omitted_unresolved_references} more`));
  }
}

function unresolvedLine(ref: UnresolvedReference, configured: readonly string[]): string {
  if (ref.entity_type === "commit") return `commit ${ref.sha} (${ref.project})`;
  const label = `${ref.project}${sigil(ref.entity_type)}${ref.iid}`;
  const project = configured.find((p) => p.toLowerCase() === ref.project.toLowerCase());
  if (!project) return `${label} (project not configured)`;
  return `${label}   fetch: lore sync -p ${project} ${ref.entity_type === "issue" ? "--issue" : "--mr"} ${ref.iid}`;
}
