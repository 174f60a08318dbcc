// The human view of `lore related`: what the results are related to, then one aligned row per
// issue or MR, most similar first, with the labels it shares with the source.

import type { RelatedItem, RelatedResult } from "../../../search/related.js";
import { plural } from "../../format/count.js";
import { entityRef, stateColour, stateWord } from "../../format/entity-ref.js";
import type { Output } from "../../output.js";
import type { RelatedTarget } from "./options.js";

export function renderRelated(out: Output, data: RelatedResult, target: RelatedTarget): void {
  const s = out.style;
  out.page();
  out.line(
    data.source
      ? `Related to ${s.bold(entityRef(data.source.project, data.source.source_type, data.source.iid))} ${data.source.title}`
      : `Related to ${JSON.stringify(target.kind === "text" ? target.text : "")}`,
  );
  if (data.results.length === 0) {
    out.line(s.dim("Nothing similar found."));
    return;
  }
  out.line(s.dim(`${plural(data.results.length, "result")}, most similar first`));
  out.line();
  out.table(
    [
      { header: "SIMILARITY", text: (r: RelatedItem) => r.similarity.toFixed(3), align: "right" },
      { header: "REF", text: (r) => entityRef(r.project, r.source_type, r.iid), paint: (t) => s.bold(t) },
      { header: "TYPE", text: (r) => (r.source_type === "issue" ? "issue" : "mr"), paint: (t) => s.dim(t) },
      { header: "STATE", text: (r) => stateWord(r.state), paint: (t, r) => stateColour(s, r.state)(t) },
      { header: "TITLE", text: (r) => r.title, shrink: true, minWidth: 20 },
      {
        header: "SHARED LABELS",
        text: (r) => r.shared_labels.join(", "),
        paint: (t) => s.magenta(t),
        shrink: true,
        minWidth: 8,
      },
    ],
    data.results,
  );
}
