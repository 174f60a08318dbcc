// The human view of a timeline: what it covers, then one aligned line per event (time, the entity
// with its project, who, what happened) under a heading per day — "Today", "Yesterday" or the date
// on a terminal (local time), the UTC date and full ISO times through a pipe — then what the
// mirror does not hold, with the sync that fetches it.

import type { TimelineEntity, TimelineResult, UnresolvedReference } from "../../../history/timeline.js";
import type { TimelineEvent } from "../../../history/timeline-events.js";
import { formatCount, moreText, plural, showing } from "../../format/count.js";
import { entityRef, stateColour, stateWord } from "../../format/entity-ref.js";
import type { Output } from "../../output.js";

const name = (e: { project: string; entity_type: string; iid: number }) =>
  entityRef(e.project, e.entity_type, e.iid);

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
  out.page();
  const seeds = data.entities.filter((e) => e.depth === 0);
  const heading = data.query === null ? "Timeline of" : `Timeline for ${JSON.stringify(data.query)}:`;
  out.line(s.bold(`${heading} ${seeds.map((e) => `${name(e)} "${e.title}"`).join(", ")}`));
  renderFollowed(
    out,
    data.entities.filter((e) => e.depth > 0),
  );
  const more = moreText(data.omitted_entities, "entity", "entities", "not followed");
  if (more) out.line(s.dim(`  ${more}`));

  const total = data.events.length + data.omitted_events;
  const omitted =
    data.omitted_events > 0
      ? ` · the ${formatCount(data.omitted_events)} earliest left out (raise -n to see them)`
      : "";
  out.line(s.dim(total === 0 ? "No events." : `${showing(data.events.length, total, "event")}${omitted}`));
  renderEvents(out, data.events);
  renderUnresolved(out, data, configured);
}

/** The entities reached from the seeds: how (closes, related, mentioned) and how far. */
function renderFollowed(out: Output, entities: readonly TimelineEntity[]): void {
  const s = out.style;
  out.table(
    [
      { header: "REF", text: (e: TimelineEntity) => name(e), paint: (t) => s.bold(t) },
      { header: "TITLE", text: (e) => e.title, shrink: true, minWidth: 20 },
      { header: "STATE", text: (e) => stateWord(e.state), paint: (t, e) => stateColour(s, e.state)(t) },
      { header: "VIA", text: (e) => `${e.via ?? "seed"}, depth ${e.depth}`, paint: (t) => s.dim(t) },
    ],
    entities,
    { header: false, indent: 2 },
  );
}

function renderEvents(out: Output, events: readonly TimelineEvent[]): void {
  const s = out.style;
  let day: string | undefined;
  out.table(
    [
      { header: "TIME", text: (e: TimelineEvent) => out.clock(e.at), paint: (t) => s.dim(t) },
      { header: "REF", text: (e) => name(e), paint: (t) => s.bold(t) },
      { header: "ACTOR", text: (e) => (e.actor ? `@${e.actor}` : ""), paint: (t) => s.cyan(t) },
      { header: "WHAT", text: (e) => e.summary, shrink: true, minWidth: 20 },
    ],
    events,
    {
      header: false,
      indent: 2,
      before: (event) => {
        const eventDay = out.day(event.at);
        if (eventDay === day) return;
        day = eventDay;
        out.line();
        out.line(s.bold(eventDay));
      },
    },
  );
}

function renderUnresolved(out: Output, data: TimelineResult, configured: readonly string[]): void {
  if (data.unresolved_references.length === 0) return;
  const s = out.style;
  out.line();
  out.line(
    s.bold("Not in the mirror") +
      s.dim(
        ` (${plural(data.unresolved_references.length + data.omitted_unresolved_references, "reference")})`,
      ),
  );
  out.table(
    [
      {
        header: "REF",
        text: (ref: UnresolvedReference) =>
          ref.entity_type === "commit" ? `commit ${ref.sha}` : name({ ...ref, iid: ref.iid ?? 0 }),
      },
      { header: "FETCH", text: (ref) => fetchText(ref, configured), paint: (t) => s.dim(t) },
    ],
    data.unresolved_references,
    { header: false, indent: 2 },
  );
  const more = moreText(data.omitted_unresolved_references, "reference", undefined, null);
  if (more) out.line(s.dim(`  ${more}`));
}

function fetchText(ref: UnresolvedReference, configured: readonly string[]): string {
  if (ref.entity_type === "commit") return `(${ref.project}; commits are not mirrored)`;
  const project = configured.find((p) => p.toLowerCase() === ref.project.toLowerCase());
  if (!project) return "(project not configured)";
  return `fetch: lore sync -p ${project} ${ref.entity_type === "issue" ? "--issue" : "--mr"} ${ref.iid}`;
}
