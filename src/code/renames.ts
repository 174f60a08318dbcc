// Following a file back through renames: an MR whose changed file has `renamed_file` links its
// `old_path` to its `new_path`. Each earlier name counts only up to the rename that retired it, so
// a later file that reuses the old name is not mixed into this one's history.

export interface RenameStep {
  readonly from: string;
  readonly to: string;
  readonly project: string;
  readonly iid: number;
  /** When the rename happened (merged, else last changed). */
  readonly at: string;
}

export interface PathName {
  readonly path: string;
  /** The file had this name up to this time (null: it still has it). */
  readonly until: string | null;
}

export interface RenameChain {
  readonly names: PathName[];
  readonly renames: RenameStep[];
  /** True when the chain went on beyond `maxHops` names. */
  readonly truncated: boolean;
}

export const MAX_RENAME_HOPS = 20;

/**
 * The names `start` had, newest first, found breadth-first through `renamesInto(path)` (the renames
 * whose new path is `path`), at most `maxHops` earlier names.
 */
export function followRenames(
  start: string,
  renamesInto: (path: string) => readonly RenameStep[],
  maxHops: number = MAX_RENAME_HOPS,
): RenameChain {
  const names: PathName[] = [{ path: start, until: null }];
  const renames: RenameStep[] = [];
  const seen = new Set([start]);
  let truncated = false;
  for (let i = 0; i < names.length; i++) {
    const current = names[i] as PathName;
    const steps = renamesInto(current.path)
      .filter((step) => current.until === null || step.at <= current.until)
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    for (const step of steps) {
      if (seen.has(step.from)) continue;
      if (names.length - 1 >= maxHops) {
        truncated = true;
        break;
      }
      seen.add(step.from);
      names.push({ path: step.from, until: step.at });
      renames.push(step);
    }
  }
  return { names, renames, truncated };
}
