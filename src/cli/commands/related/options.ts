// Turns `lore related` arguments into its target: an issue or MR named any way timeline names one
// (`issue 42`, `mr !7`, `issue:42`, `group/proj#42`, a web URL), or free text. USAGE before any
// database work.

import {
  assertSameProject,
  type EntityArgument,
  parseEntityWords,
} from "../../../history/entity-argument.js";

export type RelatedTarget =
  | Extract<EntityArgument, { kind: "entity" }>
  | { readonly kind: "text"; readonly text: string };

/** The target the words name; `project` is -p's configured project, which a reference must agree with. */
export function parseRelatedTarget(
  words: readonly string[],
  gitlabUrl: string,
  project?: string | undefined,
): RelatedTarget {
  const target = parseEntityWords(words, gitlabUrl, true);
  assertSameProject(target, project, words.join(" ").trim());
  return target.kind === "query" ? { kind: "text", text: target.text } : target;
}
