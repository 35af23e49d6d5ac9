import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { RuntimeError } from "../runtime-error.js";

const LISTENING = /opencode server listening on (https?:\/\/\S+)/;

/** A spawned `opencode serve` process that printed its URL. */
export interface ServerProcess {
  /** The child process (leader of its own process group). */
  child: ChildProcess;
  /** Process id, also the process group id. */
  pid: number;
  /** The URL read from the `listening on` line. */
  url: string;
  /** The port of `url`. */
  port: number;
  /** Resolves when the process exits, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of {@link spawnServerProcess}. */
export interface SpawnServerOptions {
  /** The `opencode` binary. */
  binary: string;
  /** Arguments (default: `serve --port <a free port> --hostname 127.0.0.1`). */
  args?: readonly string[];
  /** Working directory: the project the server serves. */
  cwd: string;
  /** Full environment of the child. */
  env: NodeJS.ProcessEnv;
  /** How long to wait for the `listening on` line, in milliseconds. */
  timeoutMs: number;
  /** Cancels the start; the process group is killed. */
  signal?: AbortSignal;
}

/**
 * Spawn `opencode serve` in its own process group and wait for its `listening on` stdout line
 * (never for the port alone: requests sent before that line hang). On timeout, early exit or
 * abort, the group is killed and a {@link RuntimeError} carries the tail of stderr.
 */
export async function spawnServerProcess(options: SpawnServerOptions): Promise<ServerProcess> {
  const args = options.args ?? ["serve", "--port", String(await freePort()), "--hostname", "127.0.0.1"];
  const child = spawn(options.binary, [...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  return new Promise<ServerProcess>((resolve, reject) => {
    const fail = (
      code: "WORKER_START_TIMEOUT" | "WORKER_EXITED" | "WORKER_SPAWN_CANCELLED",
      message: string,
      cause?: unknown,
    ) => {
      cleanup();
      if (child.pid !== undefined) killGroup(child.pid, "SIGKILL");
      const tail = stderr.trim().split("\n").slice(-8).join("\n");
      reject(
        new RuntimeError(code, tail ? `${message}\n--- stderr (last lines) ---\n${tail}` : message, {
          cause,
          hints: ["check that `opencode serve` starts in this directory, and the worker's model config"],
        }),
      );
    };
    const onData = (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-4000);
      const match = LISTENING.exec(stdout);
      if (!match?.[1] || child.pid === undefined) return;
      cleanup();
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout?.resume();
      const url = match[1].replace(/\/$/, "");
      resolve({ child, pid: child.pid, url, port: Number(new URL(url).port), exited });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail("WORKER_EXITED", `opencode serve exited before it was ready (code ${code}, signal ${signal})`);
    const onError = (error: Error) =>
      fail("WORKER_EXITED", `could not start ${options.binary}: ${error.message}`, error);
    const onAbort = () => fail("WORKER_SPAWN_CANCELLED", "worker start cancelled");
    const timer = setTimeout(
      () =>
        fail(
          "WORKER_START_TIMEOUT",
          `opencode serve printed no "listening on" line within ${options.timeoutMs} ms`,
        ),
      options.timeoutMs,
    );
    function cleanup() {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
      options.signal?.removeEventListener("abort", onAbort);
    }
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A free port on 127.0.0.1, chosen by the kernel. OpenCode's own `--port 0` prefers 4096 when it is
 * free, so a new worker could reuse the port of one that just died, and a client's pooled
 * keep-alive connection to the dead server would then fail the first request (ECONNRESET).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Send `signal` to a whole process group; false when the group is already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** True while any process of the group is alive (zombies included until reaped). */
export function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Stop a process group: SIGTERM, wait up to `graceMs` for the group to disappear, then SIGKILL.
 * Resolves `"exited"`, `"terminated"` or `"killed"` by what it took.
 */
export async function terminateGroup(
  pgid: number,
  graceMs: number,
): Promise<"exited" | "terminated" | "killed"> {
  if (!killGroup(pgid, "SIGTERM")) return "exited";
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isGroupAlive(pgid)) return "terminated";
    await new Promise((r) => setTimeout(r, 25));
  }
  killGroup(pgid, "SIGKILL");
  return "killed";
}
