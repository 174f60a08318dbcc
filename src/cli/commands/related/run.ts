// `lore related`: parses the target (an issue, an MR or a text), asks src/search/related.ts, renders.

import { usageError } from "../../../core/errors.js";
import { assertCompatible } from "../../../embedding/store.js";
import type { EntityType } from "../../../read/list-entities.js";
import { parseLimit, parseState } from "../../../search/filters.js";
import {
  assertEmbedded,
  type RelatedResult,
  relatedToEntity,
  relatedToVector,
} from "../../../search/related.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import type { Output } from "../../output.js";
import { projectScope } from "../../project-filter.js";
import { findStoredEntity } from "../../stored-entity.js";
import { parseIid, parseProjectFlag } from "../entities/options.js";

export type RelatedTarget =
  | { readonly kind: "entity"; readonly type: EntityType; readonly iid: number }
  | { readonly kind: "text"; readonly text: string };

const ENTITY_WORDS: Record<string, EntityType> = {
  issue: "issue",
  mr: "merge_request",
  merge_request: "merge_request",
};

/** `issue 42`, `mr !7`, or any other words as a text. */
export function parseRelatedTarget(args: readonly string[]): RelatedTarget {
  const type = ENTITY_WORDS[args[0]?.toLowerCase() ?? ""];
  if (type && args.length === 1)
    throw usageError(`${args[0]}: give its IID, e.g. lore related ${args[0]} 42`);
  if (type && args.length === 2 && /^[#!]?\d+$/.test(args[1] as string))
    return { kind: "entity", type, iid: parseIid(args[1], type === "issue" ? "#" : "!") };
  const text = args.join(" ").trim();
  if (!text) throw usageError('Give an issue, an MR or a text: lore related issue 42, lore related "text"');
  return { kind: "text", text };
}

export async function runRelated(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<RelatedResult>> {
  const target = parseRelatedTarget(invocation.args[0] as string[]);
  const o = invocation.options;
  const limit = parseLimit(o.limit, 10);
  const state = parseState(o.state);
  const config = ctx.config();
  const project = parseProjectFlag(
    o.project,
    config.projects.map((p) => p.path),
  );
  const db = await ctx.readDb();
  const scope = projectScope(db, config, project);
  const options = {
    // As in search: without -p, every configured project; no filter when that is all that is stored.
    projectIds: scope.everything ? undefined : scope.ids.length > 0 ? scope.ids : [-1],
    state,
    limit,
    now: Date.now(),
  };
  const provider = await ctx.embeddingProvider();
  let data: RelatedResult;
  if (target.kind === "entity") {
    const retry = `lore related ${target.type === "issue" ? "issue" : "mr"} ${target.iid}`;
    const entity = findStoredEntity(db, scope, target.type, target.iid, retry);
    assertEmbedded(db, provider !== undefined);
    data = relatedToEntity(db, { type: target.type, id: entity.id }, options);
  } else {
    assertEmbedded(db, provider !== undefined);
    if (!provider) {
      throw usageError(
        "Relating a text needs an embedding provider to embed it, and embedding.provider is none.",
        "Start from an issue or MR instead (lore related issue 42), or configure a provider.",
      );
    }
    assertCompatible(db, provider.model);
    const [vector] = await provider.embed([target.text], ctx.signal);
    assertCompatible(db, provider.model, vector?.length);
    data = relatedToVector(db, vector ?? [], options);
  }
  return { data, render: (out) => renderRelated(out, data, target) };
}

function renderRelated(out: Output, data: RelatedResult, target: RelatedTarget): void {
  const s = out.style;
  const ref = (r: { source_type: EntityType; project: string; iid: number }) =>
    `${r.project}${r.source_type === "issue" ? "#" : "!"}${r.iid}`;
  out.line(
    data.source
      ? `Related to ${s.bold(ref(data.source))} ${data.source.title}`
      : `Related to ${JSON.stringify(target.kind === "text" ? target.text : "")}`,
  );
  if (data.results.length === 0) {
    out.line(s.dim("Nothing similar found."));
    return;
  }
  for (const r of data.results) {
    const kind = r.source_type === "issue" ? "issue" : "mr";
    const shared = r.shared_labels.length > 0 ? s.magenta(` (shared: ${r.shared_labels.join(", ")})`) : "";
    out.line(
      `  ${r.similarity.toFixed(3)}  ${s.bold(ref(r))} ${s.dim(`[${kind}, ${r.state ?? "?"}]`)} ${r.title}${shared}`,
    );
    if (r.web_url) out.line(`         ${s.cyan(r.web_url)}`);
  }
}
