// The refresh behind `--max-age` (lore issues/mrs IID, the MCP get tools, and any later read of
// named entities such as timeline): a surgical sync of exactly those entities in this process,
// before the read. When it fails and a local copy exists, the read goes on from that copy, marked
// stale with a warning; without one, the failure is the answer (SURGICAL_PREFLIGHT_FAILED: GitLab
// does not have it either).

import type { RefreshTarget } from "../agent/max-age.js";
import { isCancellation } from "../core/errors.js";
import type { CommandContext } from "./context.js";
import { asLoreError } from "./output.js";

/** What a read reports beside its data (robot `refreshed`, `stale`, `warnings`). */
export interface FreshRead {
  readonly refreshed: boolean;
  readonly stale: boolean;
  readonly warnings: readonly string[];
}

export const NOT_REFRESHED: FreshRead = { refreshed: false, stale: false, warnings: [] };

export type { RefreshTarget };

/** Several refreshes (one per project) as one answer: refreshed and stale each when any was. */
export function combineFreshReads(reads: readonly FreshRead[]): FreshRead {
  return {
    refreshed: reads.some((r) => r.refreshed),
    stale: reads.some((r) => r.stale),
    warnings: reads.flatMap((r) => r.warnings),
  };
}

export async function refreshBeforeRead(
  ctx: CommandContext,
  target: RefreshTarget,
  /** When the local copy was synced; undefined when there is none to fall back on. */
  local: { readonly localCopySyncedAt: string | null | undefined },
): Promise<FreshRead> {
  const { surgicalSync } = await import("./sync-deps.js");
  let fresh: FreshRead;
  try {
    const result = await surgicalSync(
      ctx,
      // Documents follow at once so search agrees; embedding waits for the next sync or lore embed.
      { ...target, dryRun: false, docs: true, embed: false },
      { warn: () => {} },
    );
    fresh = { refreshed: true, stale: false, warnings: [...result.warnings] };
  } catch (error) {
    if (isCancellation(error) || local.localCopySyncedAt === undefined) throw error;
    const failure = asLoreError(error);
    const names = [...target.issues.map((iid) => `#${iid}`), ...target.mrs.map((iid) => `!${iid}`)].join(
      ", ",
    );
    fresh = {
      refreshed: false,
      stale: true,
      warnings: [
        `could not refresh ${target.project}${names} from GitLab (${failure.code}: ${failure.message}); showing the local copy synced at ${local.localCopySyncedAt ?? "an unknown time"}`,
      ],
    };
  }
  for (const warning of fresh.warnings) ctx.output.warn(warning);
  return fresh;
}
