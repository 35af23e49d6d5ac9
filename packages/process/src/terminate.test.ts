import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { processDescendants } from "./descendants.js";
import { isGroupAlive, processGroupMembers } from "./group.js";
import { isProcessAlive } from "./identity.js";
import { terminateGroup } from "./terminate.js";
import { shellEnv as env, waitUntil } from "./test-support/children.js";

/** A detached shell (its own group) that starts `sleep` in a new session and prints its pid. */
async function groupWithEscapee(script = "setsid sleep 30 & echo $!; wait") {
  const child = spawn("sh", ["-c", script], { detached: true, env, stdio: ["ignore", "pipe", "ignore"] });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  const pid = child.pid ?? 0;
  return { child, pid, escaped: Number(String(chunk).trim()) };
}

describe("terminateGroup", () => {
  it("SIGTERMs the group and sweeps descendants that left it", async () => {
    const { pid, escaped } = await groupWithEscapee();
    await waitUntil(() => processDescendants(pid).some((d) => d.pid === escaped), "the escapee to appear");
    expect(processGroupMembers(pid)).not.toContain(escaped);
    expect(await terminateGroup(pid, 2_000)).toBe("terminated");
    expect(isGroupAlive(pid)).toBe(false);
    await waitUntil(() => !isProcessAlive(escaped), "the escaped descendant to die");
    expect(isProcessAlive(escaped)).toBe(false);
  });

  it("SIGKILLs a group that ignores SIGTERM after the grace period", async () => {
    const { pid } = await groupWithEscapee("trap '' TERM; echo 0; while true; do sleep 1; done");
    expect(await terminateGroup(pid, 200)).toBe("killed");
    await waitUntil(() => !isGroupAlive(pid), "the group to be gone");
    expect(processGroupMembers(pid)).toEqual([]);
  });

  it("calls dispose first, and says exited for a group that is gone", async () => {
    const { pid } = await groupWithEscapee("echo 0; exec sleep 30");
    const order: string[] = [];
    const outcome = await terminateGroup(pid, 2_000, {
      dispose: async () => {
        order.push(isGroupAlive(pid) ? "dispose while alive" : "dispose after death");
      },
    });
    expect(order).toEqual(["dispose while alive"]);
    expect(outcome).toBe("terminated");
    expect(await terminateGroup(pid, 2_000)).toBe("exited");
  });

  it("gives a dispose step that hangs no more than its timeout", async () => {
    const { pid } = await groupWithEscapee("echo 0; exec sleep 30");
    const outcome = await terminateGroup(pid, 2_000, {
      dispose: () => new Promise(() => undefined),
      disposeTimeoutMs: 100,
    });
    expect(outcome).toBe("terminated");
  });
});
