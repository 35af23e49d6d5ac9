import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGroupAlive } from "./group.js";
import { resolveOpencodeBinary } from "./opencode-binary.js";
import { spawnServerProcess } from "./server-process.js";
import { terminateGroup } from "./terminate.js";
import { errorCode } from "./test-support/children.js";

// A real `opencode serve` (opencode-ai 1.18.33, a devDependency), isolated in a scratch HOME.
const binary = resolveOpencodeBinary({ resolveFrom: import.meta.dirname });
let scratch: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-process-"));
  env = {
    PATH: process.env.PATH,
    HOME: scratch,
    XDG_CONFIG_HOME: join(scratch, "config"),
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_STATE_HOME: join(scratch, "state"),
    XDG_CACHE_HOME: join(scratch, "cache"),
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_CONFIG_CONTENT: JSON.stringify({ autoupdate: false, share: "disabled" }),
  };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// A first start in a fresh HOME creates OpenCode's database; under CI load that alone can take
// seconds, so each test may run as long as the spawn's own timeout (a hang guard, not a speed check).
describe("spawnServerProcess (real opencode serve)", { timeout: 90_000 }, () => {
  it("starts on a free port, answers once it printed its line, and terminates with its group", async () => {
    const server = await spawnServerProcess({ binary, cwd: scratch, env, timeoutMs: 60_000 });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.pid).toBe(server.group.pid);
    const res = await fetch(`${server.url}/global/health`, { signal: AbortSignal.timeout(20_000) });
    expect(res.status).toBe(200);
    expect(await terminateGroup(server.pid, 3_000)).toBe("terminated");
    // OpenCode 1.18 has no SIGTERM handler: the signal ends it at once (dispose first to be graceful).
    expect(await server.exited).toEqual({ code: null, signal: "SIGTERM" });
    expect(isGroupAlive(server.pid)).toBe(false);
  });

  it("classifies a port taken before the bind as PROCESS_PORT_IN_USE", async () => {
    const held = await new Promise<{ server: Server; port: number }>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const a = s.address();
        resolve({ server: s, port: typeof a === "object" && a ? a.port : 0 });
      });
    });
    try {
      const lines: string[] = [];
      const code = await errorCode(() =>
        spawnServerProcess({
          binary,
          cwd: scratch,
          env,
          timeoutMs: 60_000,
          port: held.port,
          onLine: (line) => lines.push(line),
        }),
      );
      expect(code).toBe("PROCESS_PORT_IN_USE");
      // What OpenCode 1.18 says about it: only "ServeError", hence the check of the port.
      expect(lines.join("\n")).toContain("ServeError");
    } finally {
      await new Promise((resolve) => held.server.close(resolve));
    }
  });

  it("retries on a new free port when the first one is taken before the bind, telling each pid", async () => {
    // A stand-in for opencode: its first start fails as if its port were taken, later starts listen.
    const marker = join(scratch, "first-port");
    const fake = join(scratch, "fake-opencode");
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ ! -e "${marker}" ]; then echo "$3" > "${marker}"; echo "listen EADDRINUSE: address already in use" >&2; exit 1; fi\necho "opencode server listening on http://127.0.0.1:$3"\nexec sleep 30\n`,
    );
    chmodSync(fake, 0o755);
    const pids: number[] = [];
    const server = await spawnServerProcess({
      binary: fake,
      cwd: scratch,
      env,
      timeoutMs: 10_000,
      onSpawn: (pid) => pids.push(pid),
    });
    const firstPort = Number(readFileSync(marker, "utf8").trim());
    expect(server.port).not.toBe(firstPort);
    expect(pids).toHaveLength(2);
    expect(pids[1]).toBe(server.pid);
    expect(isGroupAlive(pids[0] ?? 0)).toBe(false);
    expect(await terminateGroup(server.pid, 1_000)).toBe("terminated");
  });
});
