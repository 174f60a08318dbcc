// Pages one entity's discussion threads for an MCP answer: a long issue has hundreds, and a tool
// result goes into a model's context. The page says where it is and where the next one starts.

export const DEFAULT_DISCUSSIONS_LIMIT = 20;

/** `data[key].discussions` cut to the requested page, with `discussions_page` beside the entity. */
export function pageDiscussions(
  data: Record<string, unknown>,
  key: string,
  args: { readonly discussions_offset?: unknown; readonly discussions_limit?: unknown },
): Record<string, unknown> {
  const entity = data[key] as Record<string, unknown> | undefined;
  const threads = entity?.discussions;
  if (!entity || !Array.isArray(threads)) return data;
  const offset = typeof args.discussions_offset === "number" ? args.discussions_offset : 0;
  const limit =
    typeof args.discussions_limit === "number" ? args.discussions_limit : DEFAULT_DISCUSSIONS_LIMIT;
  const page = threads.slice(offset, offset + limit);
  const next = offset + page.length;
  return {
    ...data,
    [key]: { ...entity, discussions: page },
    discussions_page: {
      offset,
      limit,
      total: threads.length,
      next_offset: next < threads.length ? next : null,
    },
  };
}

/** After the token budget cut threads from the page, the next page starts after the last one kept. */
export function settlePage(data: Record<string, unknown>, key: string): Record<string, unknown> {
  const page = data.discussions_page as { offset: number; total: number } | undefined;
  const kept = (data[key] as { discussions?: unknown[] } | undefined)?.discussions;
  if (!page || !Array.isArray(kept)) return data;
  const next = page.offset + kept.length;
  return { ...data, discussions_page: { ...page, next_offset: next < page.total ? next : null } };
}
