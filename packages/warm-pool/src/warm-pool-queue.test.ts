import { describe, expect, it } from "vitest";
import { createWarmPool } from "./warm-pool.js";

interface Res {
  id: number;
}

function pool(maxQueue: number | undefined, size = 0) {
  let next = 1;
  return createWarmPool<Res>({
    size,
    max: 1,
    ...(maxQueue === undefined ? {} : { maxQueue }),
    create: async () => ({ id: next++ }),
    destroy: () => {},
  });
}

describe("maxQueue: a bound on waiting acquires", () => {
  it("refuses an acquire past the bound at once with POOL_QUEUE_FULL; the queued ones are served", async () => {
    const p = pool(2);
    const first = await p.acquire();
    const second = p.acquire();
    const third = p.acquire();
    await expect(p.acquire()).rejects.toMatchObject({ code: "POOL_QUEUE_FULL" });
    expect(p.stats()).toMatchObject({ waiting: 2, totals: { rejectedQueueFull: 1 } });
    first.release();
    const got2 = await second;
    got2.release();
    const got3 = await third;
    expect(got3.resource.id).toBe(first.resource.id);
    got3.release();
    await p.close();
  });

  it("maxQueue 0 never queues, but still hands out an idle resource", async () => {
    const p = pool(0, 1);
    while (p.stats().idle === 0) await new Promise((r) => setTimeout(r, 1));
    const lease = await p.acquire();
    await expect(p.acquire()).rejects.toMatchObject({ code: "POOL_QUEUE_FULL" });
    lease.release();
    const again = await p.acquire();
    expect(again.resource).toBe(lease.resource);
    again.release();
    await p.close();
  });

  it("without maxQueue, acquires queue without bound", async () => {
    const p = pool(undefined);
    const first = await p.acquire();
    const waiting = Array.from({ length: 50 }, () => p.acquire());
    expect(p.stats().waiting).toBe(50);
    first.release();
    for (const w of waiting) (await w).release();
    expect(p.stats().totals.rejectedQueueFull).toBe(0);
    await p.close();
  });

  it("rejects a negative or fractional maxQueue with POOL_INVALID_OPTIONS", () => {
    expect(() => pool(-1)).toThrow(expect.objectContaining({ code: "POOL_INVALID_OPTIONS" }));
    expect(() => pool(1.5)).toThrow(/maxQueue must be an integer >= 0 \(got 1.5\)/);
  });
});
