// Async iterators over GitLab list endpoints, yielding each page as it arrives. The caller's signal
// goes to every page request and is checked between pages.

import { throwIfCancelled } from "../core/errors.js";
import type { HttpResponse, RequestFn } from "./http.js";
import { buildQuery, parseLinkHeader, type Query } from "./url.js";

export const PER_PAGE = 100;

export interface PageOptions<T> {
  readonly query?: Query | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly describe?: string | undefined;
  readonly endpoint: string;
  /** Every page continues work under way (e.g. the list a sync walks): none waits behind fresh requests. */
  readonly priority?: boolean | undefined;
  /** Validates one page body into items; it must reject anything that is not an array. */
  readonly parse: (body: unknown, endpoint: string) => T[];
}

/**
 * Where the next offset page is: `Link rel=next` (it carries every original parameter), else
 * `x-next-page`. `undefined` means the response gave no pagination hints at all.
 */
export function nextPageTarget(
  response: HttpResponse,
  path: string,
  query: Query,
): string | null | undefined {
  const next = parseLinkHeader(response.headers.get("link")).next;
  if (next) return next;
  const nextPage = response.headers.get("x-next-page");
  if (nextPage !== null) {
    if (nextPage.trim() === "") return null;
    return `${path}?${buildQuery({ ...query, page: nextPage.trim() })}`;
  }
  return response.headers.has("link") ? null : undefined;
}

/** Offset pagination: follows `Link rel=next` / `x-next-page`; never trusts totals or short pages. */
export async function* paginateOffset<T>(
  request: RequestFn,
  path: string,
  options: PageOptions<T>,
): AsyncGenerator<T[], void, undefined> {
  const query: Query = { ...options.query, per_page: PER_PAGE };
  let target: string | null = path;
  let pendingQuery: Query | undefined = { ...query, page: 1 };
  let pageNumber = 1;
  while (target !== null) {
    throwIfCancelled(options.signal);
    const response = await request(target, {
      query: pendingQuery,
      signal: options.signal,
      describe: options.describe,
      endpoint: options.endpoint,
      // A follow-up page continues work under way: it must not queue behind every fresh request.
      priority: pageNumber > 1 || target !== path || options.priority === true,
    });
    pendingQuery = undefined;
    const items = options.parse(response.body, options.endpoint);
    if (items.length > 0) yield items;
    const next = nextPageTarget(response, path, query);
    if (next === undefined) {
      // No hints at all (a proxy stripped them): keep going until an empty page.
      pageNumber += 1;
      target = items.length > 0 ? path : null;
      pendingQuery = { ...query, page: pageNumber };
    } else {
      target = next;
    }
  }
}

/** Keyset pagination: the next page is only ever `Link rel=next`, followed verbatim. */
export async function* paginateKeyset<T>(
  request: RequestFn,
  firstResponse: HttpResponse,
  options: PageOptions<T>,
): AsyncGenerator<T[], void, undefined> {
  let response = firstResponse;
  for (;;) {
    const items = options.parse(response.body, options.endpoint);
    if (items.length > 0) yield items;
    const next = parseLinkHeader(response.headers.get("link")).next;
    if (!next) return;
    throwIfCancelled(options.signal);
    response = await request(next, {
      signal: options.signal,
      describe: options.describe,
      endpoint: options.endpoint,
      priority: true,
    });
  }
}
