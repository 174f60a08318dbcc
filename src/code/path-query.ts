// A PATH argument as the code questions read it: a file, or a directory prefix. `src/auth` matches
// the file of that name and everything under `src/auth/`; `src/auth/` matches only what is under
// it. Paths are repository-relative and case-sensitive, as git's are.

import { usageError } from "../core/errors.js";

export interface PathQuery {
  /** The path as given, normalised (no leading `./` or `/`). */
  readonly path: string;
  /** The one file path it names, or null for a directory (`dir/`). */
  readonly exact: string | null;
  /** Everything under this directory: `prefix <= path < prefixEnd` in binary order. */
  readonly prefix: string;
  readonly prefixEnd: string;
}

/** Named parameters for the path-matching SQL (`@exact`, `@lo`, `@hi`). */
export interface PathParams {
  readonly exact: string | null;
  readonly lo: string;
  readonly hi: string;
}

export function parsePathQuery(input: string): PathQuery {
  const path = input
    .trim()
    .replace(/^(\.\/)+/, "")
    .replace(/^\/+/, "");
  if (path === "" || path === "." || /^\/*$/.test(path)) {
    throw usageError(
      `${JSON.stringify(input)}: name a file or directory, e.g. src/auth/login.ts or src/auth/`,
    );
  }
  const isDirectory = path.endsWith("/");
  const dir = isDirectory ? path.replace(/\/+$/, "/") : `${path}/`;
  // '0' is the character after '/', so [dir, dirEnd) is exactly the paths starting with dir.
  return {
    path: isDirectory ? dir : path,
    exact: isDirectory ? null : path,
    prefix: dir,
    prefixEnd: `${dir.slice(0, -1)}0`,
  };
}

export function pathParams(query: PathQuery): PathParams {
  return { exact: query.exact, lo: query.prefix, hi: query.prefixEnd };
}

/** One exact file name (a step of a rename chain), without its directory reading. */
export function exactPathParams(path: string): PathParams {
  return { exact: path, lo: "", hi: "" };
}

export function pathMatches(query: PathQuery, path: string | null | undefined): boolean {
  if (!path) return false;
  return path === query.exact || (path >= query.prefix && path < query.prefixEnd);
}

/**
 * (merge_request_id, position) of changed-file rows whose new path, or old path when the MR renamed
 * it, matches @exact / [@lo, @hi). Each branch is one index range (migration 009). UNION ALL: a
 * row renamed within a directory can come twice, and readers dedupe; a plain UNION would want its
 * branches sorted and can make the planner scan the table to get that order.
 */
export const CHANGED_FILES_MATCHING = `
  SELECT merge_request_id, position FROM merge_request_files WHERE new_path = @exact
  UNION ALL SELECT merge_request_id, position FROM merge_request_files WHERE new_path >= @lo AND new_path < @hi
  UNION ALL SELECT merge_request_id, position FROM merge_request_files
    WHERE old_path = @exact AND old_path <> new_path
  UNION ALL SELECT merge_request_id, position FROM merge_request_files
    WHERE old_path >= @lo AND old_path < @hi AND old_path <> new_path`;

/** Ids of DiffNotes whose position names a matching path (new side, or old side when it differs); may repeat. */
export const DIFF_NOTES_MATCHING = `
  SELECT id FROM notes WHERE position_new_path = @exact
  UNION ALL SELECT id FROM notes WHERE position_new_path >= @lo AND position_new_path < @hi
  UNION ALL SELECT id FROM notes WHERE position_old_path = @exact AND position_old_path IS NOT position_new_path
  UNION ALL SELECT id FROM notes
    WHERE position_old_path >= @lo AND position_old_path < @hi AND position_old_path IS NOT position_new_path`;
