// A FIFO semaphore bounding requests in flight, with a priority lane: a request that continues
// work already under way (the next page of a list or of a long discussion) goes before fresh work,
// so a pipeline never stalls behind a queue it filled itself. A waiter whose signal aborts leaves.
// Waiters sharing a signal share one abort listener: a sync queues thousands of requests on one
// signal, and an EventTarget's listener list makes each add and remove cost its length.

import { cancelledError, throwIfCancelled } from "../core/errors.js";

export interface Limiter {
  /** Waits for a slot; returns its release (idempotent). */
  acquire(signal: AbortSignal | undefined, priority?: boolean): Promise<() => void>;
}

interface Waiter {
  readonly grant: () => void;
  readonly reject: (reason: unknown) => void;
  readonly queue: Waiter[];
  readonly signal: AbortSignal | undefined;
}

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const urgent: Waiter[] = [];
  const normal: Waiter[] = [];
  const watched = new Map<AbortSignal, { readonly waiters: Set<Waiter>; readonly onAbort: () => void }>();

  const unwatch = (waiter: Waiter) => {
    if (!waiter.signal) return;
    const watch = watched.get(waiter.signal);
    if (!watch) return;
    watch.waiters.delete(waiter);
    if (watch.waiters.size === 0) {
      waiter.signal.removeEventListener("abort", watch.onAbort);
      watched.delete(waiter.signal);
    }
  };
  const watch = (waiter: Waiter, signal: AbortSignal) => {
    let entry = watched.get(signal);
    if (!entry) {
      const waiters = new Set<Waiter>();
      const onAbort = () => {
        watched.delete(signal);
        for (const w of waiters) {
          const index = w.queue.indexOf(w);
          if (index >= 0) w.queue.splice(index, 1);
          w.reject(signal.reason ?? cancelledError());
        }
      };
      entry = { waiters, onAbort };
      watched.set(signal, entry);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    entry.waiters.add(waiter);
  };
  const release = () => {
    const next = urgent.shift() ?? normal.shift();
    if (!next) {
      active -= 1;
      return;
    }
    unwatch(next);
    next.grant();
  };

  return {
    async acquire(signal, priority = false) {
      throwIfCancelled(signal);
      if (active >= limit) {
        const queue = priority ? urgent : normal;
        await new Promise<void>((grant, reject) => {
          const waiter: Waiter = { grant, reject, queue, signal };
          queue.push(waiter);
          if (signal) watch(waiter, signal);
        }).catch(() => throwIfCancelled(signal));
      } else {
        active += 1;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
  };
}
