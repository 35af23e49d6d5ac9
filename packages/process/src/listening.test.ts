import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { waitForListening } from "./listening.js";
import { type ProcessGroup, spawnProcessGroup } from "./process-group.js";
import { errorCode } from "./test-support/children.js";

const groups: ProcessGroup[] = [];
afterEach(async () => {
  await Promise.all(groups.splice(0).map((g) => g.terminate({ graceMs: 200 })));
});

/** A node process running `script`, in its own group. */
function node(script: string): ProcessGroup {
  const group = spawnProcessGroup(process.execPath, ["-e", script], { cwd: "/", env: {} });
  groups.push(group);
  return group;
}

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}

describe("waitForListening", () => {
  it("returns the URL of the listening line, whatever came before it", async () => {
    const group = node(
      'console.log("Warning: no password"); setTimeout(() => console.log("opencode server listening on http://127.0.0.1:4321/"), 50); setInterval(() => {}, 1000)',
    );
    const lines: string[] = [];
    const listening = await waitForListening(group, { timeoutMs: 10_000, onLine: (l) => lines.push(l) });
    expect(listening).toEqual({ url: "http://127.0.0.1:4321", port: 4321 });
    expect(lines[0]).toBe("Warning: no password");
  });

  it("is PROCESS_EXITED with the output tail when the server exits before it is ready", async () => {
    const group = node('console.error("config error: bad key"); process.exit(3)');
    const error = await waitForListening(group, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PROCESS_EXITED" });
    expect((error as Error).message).toContain("code 3");
    expect((error as Error).message).toContain("[stderr] config error: bad key");
  });

  it("is PROCESS_PORT_IN_USE when the output says EADDRINUSE", async () => {
    const group = node(
      'console.error("Error: listen EADDRINUSE: address already in use 127.0.0.1:4096"); process.exit(1)',
    );
    expect(await errorCode(() => waitForListening(group, { timeoutMs: 10_000, port: 4096 }))).toBe(
      "PROCESS_PORT_IN_USE",
    );
  });

  it("is PROCESS_PORT_IN_USE for a bare ServeError while the port is taken, PROCESS_EXITED when it is free", async () => {
    const { server, port } = await holdPort();
    try {
      const taken = node('console.error("ServeError"); process.exit(1)');
      expect(await errorCode(() => waitForListening(taken, { timeoutMs: 10_000, port }))).toBe(
        "PROCESS_PORT_IN_USE",
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const free = node('console.error("ServeError"); process.exit(1)');
    expect(await errorCode(() => waitForListening(free, { timeoutMs: 10_000, port }))).toBe("PROCESS_EXITED");
  });

  it("is PROCESS_START_TIMEOUT when no listening line comes, naming the output", async () => {
    const group = node('console.log("still loading"); setInterval(() => {}, 1000)');
    const error = await waitForListening(group, { timeoutMs: 300, context: () => "log: nothing" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "PROCESS_START_TIMEOUT" });
    expect((error as Error).message).toContain("still loading");
    expect((error as Error).message).toContain("log: nothing");
  });

  it("is PROCESS_CANCELLED when aborted, and PROCESS_SPAWN_FAILED for a missing binary", async () => {
    const group = node("setInterval(() => {}, 1000)");
    const controller = new AbortController();
    const waiting = waitForListening(group, { timeoutMs: 10_000, signal: controller.signal });
    controller.abort();
    expect(await errorCode(() => waiting)).toBe("PROCESS_CANCELLED");
    const missing = spawnProcessGroup("/nonexistent/opencode", ["serve"], { cwd: "/", env: {} });
    expect(await errorCode(() => waitForListening(missing, { timeoutMs: 10_000 }))).toBe(
      "PROCESS_SPAWN_FAILED",
    );
  });
});
