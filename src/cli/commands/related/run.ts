// `lore related`: parses the target (an issue, an MR or a text), asks src/search/related.ts, renders.

import { usageError } from "../../../core/errors.js";
import { assertCompatible } from "../../../embedding/store.js";
import { findNamedEntity } from "../../../history/entity-argument.js";
import { parseLimit, parseState } from "../../../search/filters.js";
import {
  assertEmbedded,
  type RelatedResult,
  relatedToEntity,
  relatedToVector,
} from "../../../search/related.js";
import { type NearestPath, prepareNearest } from "../../../search/semantic.js";
import type { CommandResult, Invocation } from "../../command.js";
import type { CommandContext } from "../../context.js";
import { nearestPathLine } from "../../format/nearest-path.js";
import { projectScope } from "../../project-filter.js";
import { parseProjectFlag } from "../entities/options.js";
import { parseRelatedTarget } from "./options.js";
import { renderRelated } from "./render.js";

export async function runRelated(
  invocation: Invocation,
  ctx: CommandContext,
): Promise<CommandResult<RelatedResult>> {
  const o = invocation.options;
  const limit = parseLimit(o.limit, 10);
  const state = parseState(o.state);
  const config = ctx.config();
  const configured = config.projects.map((p) => p.path);
  const project = parseProjectFlag(o.project, configured);
  const target = parseRelatedTarget(invocation.args[0] as string[], config.gitlab.baseUrl, project);
  const db = await ctx.readDb();
  const scope = projectScope(db, config, project);
  const options = {
    // As in search: without -p, every configured project; no filter when that is all that is stored.
    projectIds: scope.everything ? undefined : scope.ids.length > 0 ? scope.ids : [-1],
    state,
    limit,
    now: Date.now(),
    onPath: (path: NearestPath) => ctx.output.debug(nearestPathLine(path)),
  };
  const provider = await ctx.embeddingProvider();
  let data: RelatedResult;
  if (target.kind === "entity") {
    const entity = findNamedEntity(db, target, { paths: scope.paths, ids: scope.ids, configured });
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
    prepareNearest(db);
    const [vector] = await provider.embed([target.text], ctx.signal);
    assertCompatible(db, provider.model, vector?.length);
    data = relatedToVector(db, vector ?? [], options);
  }
  return { data, render: (out) => renderRelated(out, data, target) };
}
