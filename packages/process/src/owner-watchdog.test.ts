import { describe, expect, it } from "vitest";
import { currentProcessIdentity, processStartTime } from "./identity.js";
import { OWNER_ENV, ownerEnv, ownerFromEnv, watchOwner } from "./owner-watchdog.js";
import { startIdle, stopIdle } from "./test-support/children.js";

describe("ownerEnv and ownerFromEnv", () => {
  it("round-trip an identity whose start time contains colons", () => {
    const me = currentProcessIdentity();
    expect(me.startTime).toContain(":");
    expect(ownerFromEnv(ownerEnv(me))).toEqual(me);
  });

  it("give no owner for a missing or malformed value", () => {
    for (const value of [undefined, "", "abc", "12", ":linux:x:1", "0:linux:x:1", "-3:x", "12:"]) {
      expect(ownerFromEnv({ [OWNER_ENV]: value })).toBeUndefined();
    }
  });
});

describe("watchOwner", () => {
  it("calls onGone once the owner dies, and only once", async () => {
    const owner = await startIdle();
    const identity = { pid: owner.pid, startTime: processStartTime(owner.pid) ?? "" };
    const calls: number[] = [];
    const gone = new Promise<void>((resolve) => {
      watchOwner({
        owner: identity,
        intervalMs: 50,
        onGone: (o) => {
          calls.push(o.pid);
          resolve();
        },
      });
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toEqual([]);
    await stopIdle(owner);
    await gone;
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toEqual([owner.pid]);
  });

  it("treats a live process with another start time (a reused pid) as gone", async () => {
    const me = currentProcessIdentity();
    const gone = new Promise<number>((resolve) => {
      watchOwner({
        owner: { pid: me.pid, startTime: `${me.startTime}-earlier` },
        onGone: (o) => resolve(o.pid),
      });
    });
    expect(await gone).toBe(me.pid);
  });

  it("never fires after stop", async () => {
    const owner = await startIdle();
    let fired = false;
    const watchdog = watchOwner({
      owner: { pid: owner.pid, startTime: processStartTime(owner.pid) ?? "" },
      intervalMs: 20,
      onGone: () => {
        fired = true;
      },
    });
    watchdog.stop();
    await stopIdle(owner);
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toBe(false);
  });
});
