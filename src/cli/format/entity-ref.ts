// How human output names GitLab entities and their states: `group/project#42` for an issue,
// `group/project!7` for a merge request — always with the project, so a line stands on its own
// (in a list of several projects, and in a grep).

import type { Paint, Style } from "../output.js";

/** `#` for an issue, `!` for a merge request (GitLab's own sigils). */
export function sigil(type: string): "#" | "!" {
  return type === "merge_request" ? "!" : "#";
}

/** `group/project#42`, `group/project!7`. */
export function entityRef(project: string, type: string, iid: number): string {
  return `${project}${sigil(type)}${iid}`;
}

/** GitLab's state as people say it: `opened` is "open"; an open draft MR is "draft". */
export function stateWord(state: string | null, draft = false): string {
  if (state === null) return "?";
  if (state === "opened") return draft ? "draft" : "open";
  return state;
}

/** Open in green, merged in magenta, closed in red; anything else as it is. */
export function stateColour(s: Style, state: string | null): Paint {
  if (state === "opened") return s.green;
  if (state === "merged") return s.magenta;
  if (state === "closed") return s.red;
  return (text) => text;
}
