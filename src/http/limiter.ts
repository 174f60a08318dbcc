// A FIFO semaphore bounding requests in flight, with a priority lane: a request that continues
// work already under way (the next page of a list or of a long discussion) goes before fresh work,
// so a pipeline never stalls behind a queue it filled itself. A waiter whose signal aborts leaves.

import { cancelledError, throwIfCancelled } from "../core/errors.js";

export interface Limiter {
  /** Waits for a slot; returns its release (idempotent). */
  acquire(signal: AbortSignal | undefined, priority?: boolean): Promise<() => void>;
}

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const urgent: (() => void)[] = [];
  const normal: (() => void)[] = [];
  const release = () => {
    const next = urgent.shift() ?? normal.shift();
    if (next) next();
    else active -= 1;
  };
  return {
    async acquire(signal, priority = false) {
      throwIfCancelled(signal);
      if (active >= limit) {
        const queue = priority ? urgent : normal;
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            const index = queue.indexOf(grant);
            if (index >= 0) queue.splice(index, 1);
            reject(signal?.reason ?? cancelledError());
          };
          const grant = () => {
            signal?.removeEventListener("abort", onAbort);
            resolve();
          };
          queue.push(grant);
          signal?.addEventListener("abort", onAbort, { once: true });
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
