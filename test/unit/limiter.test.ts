import { describe, expect, it, vi } from "vitest";
import { cancelledError, isLoreError } from "../../src/core/errors.js";
import { createLimiter } from "../../src/http/limiter.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createLimiter", () => {
  it("bounds work in flight and grants the priority lane first, each lane in order", async () => {
    const limiter = createLimiter(1);
    const order: string[] = [];
    const first = await limiter.acquire(undefined);
    const waiting = [
      limiter.acquire(undefined).then((release) => ({ name: "fresh 1", release })),
      limiter.acquire(undefined).then((release) => ({ name: "fresh 2", release })),
      limiter.acquire(undefined, true).then((release) => ({ name: "next page 1", release })),
      limiter.acquire(undefined, true).then((release) => ({ name: "next page 2", release })),
    ];
    for (const w of waiting) {
      void w.then(({ name, release }) => {
        order.push(name);
        setImmediate(release);
      });
    }
    await tick();
    expect(order).toEqual([]);
    first();
    await Promise.all(waiting);
    expect(order).toEqual(["next page 1", "next page 2", "fresh 1", "fresh 2"]);
  });

  it("drops waiters whose signal aborts, with one abort listener per signal", async () => {
    const limiter = createLimiter(1);
    const held = await limiter.acquire(undefined);
    const controller = new AbortController();
    const listen = vi.spyOn(controller.signal, "addEventListener");
    const doomed = Array.from({ length: 50 }, () => limiter.acquire(controller.signal));
    const survivor = limiter.acquire(undefined);
    expect(listen).toHaveBeenCalledTimes(1);
    controller.abort(cancelledError());
    const outcomes = await Promise.allSettled(doomed);
    expect(outcomes.every((o) => o.status === "rejected" && isLoreError(o.reason, "CANCELLED"))).toBe(true);
    held();
    const release = await survivor;
    release();
    release(); // idempotent: a second release must not free a slot twice
    const a = await limiter.acquire(undefined);
    let second = false;
    void limiter.acquire(undefined).then(() => {
      second = true;
    });
    await tick();
    expect(second).toBe(false);
    a();
    await tick();
    expect(second).toBe(true);
  });
});
