// Walks the issues/MRs list by value, not by page number (contract "Walking a list", gitlab-api.md
// §11): keyset where the server does it, otherwise an `updated_after` window restarted from the last
// `updated_at` seen. An offset walk would skip the row at a page boundary when another row is edited.

import { throwIfCancelled } from "../core/errors.js";
import type { HttpResponse, RequestFn } from "./http.js";
import { nextPageTarget, type PageOptions, PER_PAGE, paginateKeyset, paginateOffset } from "./paginate.js";
import type { Query } from "./url.js";

export interface WalkItem {
  readonly id: number;
  readonly updated_at: string;
}

export interface ListWalkOptions<T> extends PageOptions<T> {
  /** Inclusive lower bound on `updated_at` (ISO 8601 UTC). */
  readonly updatedAfter?: string | undefined;
  /** Try `pagination=keyset` first (project issues on GitLab ≥ 18.3). */
  readonly keyset: boolean;
}

const IIDS_PER_REQUEST = 100;

function timeOf(value: string): number {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** The server fell back to offset pagination when it sends `x-page` or a page-numbered next link. */
function isOffsetResponse(response: HttpResponse): boolean {
  if (response.headers.has("x-page")) return true;
  const link = response.headers.get("link") ?? "";
  return /[?&]page=\d/.test(link) && !/[?&]cursor=/.test(link);
}

/** Yields pages of items ordered by `updated_at` ascending, each item once per `updated_at` value. */
export async function* walkByUpdatedAt<T extends WalkItem>(
  request: RequestFn,
  path: string,
  options: ListWalkOptions<T>,
): AsyncGenerator<T[], void, undefined> {
  const base: Query = { ...options.query, order_by: "updated_at", sort: "asc", per_page: PER_PAGE };
  let first: HttpResponse | undefined;
  if (options.keyset) {
    throwIfCancelled(options.signal);
    const response = await request(path, {
      query: { ...base, pagination: "keyset", updated_after: options.updatedAfter },
      signal: options.signal,
      describe: options.describe,
      endpoint: options.endpoint,
      allowStatus: [405],
      priority: options.priority,
    });
    if (response.status !== 405) {
      if (!isOffsetResponse(response)) {
        yield* paginateKeyset(request, response, options);
        return;
      }
      // Same filter and order as the window's first page, so it serves as that page.
      first = response;
    }
  }
  yield* windowWalk(request, path, base, options, first);
}

async function* windowWalk<T extends WalkItem>(
  request: RequestFn,
  path: string,
  base: Query,
  options: ListWalkOptions<T>,
  first: HttpResponse | undefined,
): AsyncGenerator<T[], void, undefined> {
  let windowStart = options.updatedAfter;
  let windowMs = windowStart === undefined ? Number.NEGATIVE_INFINITY : timeOf(windowStart);
  let page = 1;
  // `updated_after` is inclusive: remember which version (id, updated_at) was already yielded.
  const taken = new Map<number, number>();
  let pending = first;
  for (;;) {
    throwIfCancelled(options.signal);
    const query: Query = { ...base, updated_after: windowStart, page };
    const response =
      pending ??
      (await request(path, {
        query,
        signal: options.signal,
        describe: options.describe,
        endpoint: options.endpoint,
        priority: options.priority,
      }));
    pending = undefined;
    const items = options.parse(response.body, options.endpoint);
    const fresh = items.filter((item) => taken.get(item.id) !== timeOf(item.updated_at));
    for (const item of fresh) taken.set(item.id, timeOf(item.updated_at));
    if (fresh.length > 0) yield fresh;

    const last = items[items.length - 1];
    if (last === undefined || nextPageTarget(response, path, query) === null) return;
    const lastMs = timeOf(last.updated_at);
    if (lastMs > windowMs) {
      windowStart = last.updated_at;
      windowMs = lastMs;
      page = 1;
    } else {
      // The whole page shares the window's timestamp: only then move to the next page of it.
      page += 1;
    }
  }
}

/** A filtered list by iid (surgical sync's preflight), ≤ 100 iids per request. */
export async function* listByIids<T>(
  request: RequestFn,
  path: string,
  iids: readonly number[],
  options: PageOptions<T>,
): AsyncGenerator<T[], void, undefined> {
  for (let start = 0; start < iids.length; start += IIDS_PER_REQUEST) {
    const chunk = iids.slice(start, start + IIDS_PER_REQUEST);
    yield* paginateOffset(request, path, { ...options, query: { ...options.query, iids: chunk } });
  }
}
