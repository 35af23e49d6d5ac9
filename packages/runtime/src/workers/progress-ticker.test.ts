import { describe, expect, it } from "vitest";
import { PROGRESS_EVERY_MS, type TickerClock, waitWithProgress } from "./progress-ticker.js";

/** A clock whose time moves only when the test says so; intervals fire as time passes. */
function manualClock() {
  let now = 0;
  const timers = new Map<number, { tick: () => void; every: number; next: number }>();
  let ids = 0;
  const clock: TickerClock = {
    now: () => now,
    setInterval: (tick, every) => {
      ids += 1;
      timers.set(ids, { tick, every, next: now + every });
      return ids;
    },
    clearInterval: (handle) => {
      timers.delete(handle as number);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers.values()].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.every;
      due.tick();
    }
    now = end;
  };
  return { clock, advance, active: () => timers.size };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("waitWithProgress", () => {
  it("reports 'still waiting for X (n s)' every 5 s while the work runs, and nothing after", async () => {
    const { clock, advance, active } = manualClock();
    const work = deferred<string>();
    const lines: string[] = [];
    const waited = waitWithProgress(work.promise, "opencode serve to listen", (line) => lines.push(line), {
      clock,
    });
    advance(4_999);
    expect(lines).toEqual([]);
    advance(1);
    advance(2 * PROGRESS_EVERY_MS);
    expect(lines).toEqual([
      "still waiting for opencode serve to listen (5 s)",
      "still waiting for opencode serve to listen (10 s)",
      "still waiting for opencode serve to listen (15 s)",
    ]);
    work.resolve("listening");
    await expect(waited).resolves.toBe("listening");
    expect(active()).toBe(0);
    advance(60_000);
    expect(lines).toHaveLength(3);
  });

  it("passes the work's error through and stops the ticker", async () => {
    const { clock, advance, active } = manualClock();
    const work = deferred<never>();
    const lines: string[] = [];
    const waited = waitWithProgress(work.promise, "a session", (line) => lines.push(line), {
      clock,
      everyMs: 1_000,
    });
    advance(2_000);
    work.reject(new Error("server exited"));
    await expect(waited).rejects.toThrow("server exited");
    expect(active()).toBe(0);
    expect(lines).toEqual(["still waiting for a session (1 s)", "still waiting for a session (2 s)"]);
  });
});
