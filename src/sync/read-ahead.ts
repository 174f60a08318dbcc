// Reads an async iterable one item ahead: the next page is requested while the caller works on the
// current one, so a walk never waits for a list page it could have asked for earlier.

export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const result = await next;
      if (result.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      // Awaited on the next turn; this only keeps an early rejection from being reported as unhandled.
      next.catch(() => {});
      yield result.value;
    }
  } finally {
    if (!finished) iterator.return?.()?.catch(() => {});
  }
}
