// The human view of `lore me`: the user's open work (the sections `lore who @user` prints), then
// what is new since they last looked — mentions and replies, one aligned line each.

import type { InboxItem } from "../../../people/inbox.js";
import type { MeResult } from "../../../people/me.js";
import { formatCount } from "../../format/count.js";
import { entityRef } from "../../format/entity-ref.js";
import type { Output } from "../../output.js";
import { renderMore, renderOpenLists } from "../who/render.js";

/** `byDate`: the news is a --since window, so the cursor did not move. */
export function renderMe(out: Output, data: MeResult, nothingSynced: boolean, byDate: boolean): void {
  const s = out.style;
  out.page();
  if (nothingSynced) out.line(s.dim("Nothing synced yet: run lore sync."));
  out.line(s.bold(`@${data.username}`));
  out.line();
  renderOpenLists(out, data, "your");
  out.line();
  if (data.baseline) {
    out.line(
      s.bold("Since you last looked: ") +
        s.dim("this look is the baseline; from now on new replies and mentions show here."),
    );
  } else if (data.since === null) {
    out.line(s.bold("Since you last looked: ") + s.dim("nothing synced yet, so no baseline either."));
  }
  // News is listed since the last look, or since --since (which may come with a new baseline).
  if (data.since === null) return;
  const total = data.inbox.length + data.omitted_inbox;
  out.line(s.bold(`Since ${out.time(data.since)} (${formatCount(total)})`));
  if (total === 0) out.line(s.dim("  nothing new"));
  out.table(
    [
      {
        header: "KIND",
        text: (i: InboxItem) => i.kind,
        paint: (t, i) => (i.kind === "mention" ? s.magenta(t) : s.cyan(t)),
      },
      { header: "REF", text: (i) => entityRef(i.project, i.entity_type, i.iid), paint: (t) => s.bold(t) },
      { header: "AUTHOR", text: (i) => `@${i.author ?? "?"}` },
      { header: "EXCERPT", text: (i) => i.excerpt, shrink: true, minWidth: 20 },
      { header: "WHEN", text: (i) => out.time(i.at), paint: (t) => s.dim(t) },
    ],
    data.inbox,
    { header: false, indent: 2 },
  );
  renderMore(out, data.omitted_inbox, "item", {
    hint: byDate ? "raise -n to see them" : "raise -n, or run lore me again: they stay new",
  });
}
