import { waitForListening } from "./listening.js";
import { freePort } from "./port.js";
import { ProcessError } from "./process-error.js";
import { type ExitInfo, type ProcessGroup, spawnProcessGroup } from "./process-group.js";

/** A spawned `opencode serve` process that printed its URL. */
export interface ServerProcess {
  /** The process group it leads (signals, terminate with the descendant sweep). */
  group: ProcessGroup;
  /** Process id, also the process-group id. */
  pid: number;
  /** The URL read from the `listening on` line. */
  url: string;
  /** The port of `url`. */
  port: number;
  /** Resolves when the process exits, with its code or signal. */
  exited: Promise<ExitInfo>;
}

/** Options of {@link spawnServerProcess}. */
export interface SpawnServerOptions {
  /** The `opencode` binary (see `resolveOpencode`). */
  binary: string;
  /** Working directory: the project the server serves. */
  cwd: string;
  /** Full environment of the child. */
  env: NodeJS.ProcessEnv;
  /** How long to wait for the `listening on` line, in milliseconds. */
  timeoutMs: number;
  /** Cancels the start; the process group is killed. */
  signal?: AbortSignal;
  /**
   * The port to bind on 127.0.0.1. Default: a free port from {@link freePort}, and when another
   * process takes it before the server binds it, a new free port, up to `portAttempts` times.
   */
  port?: number;
  /** Attempts on fresh free ports when `port` is not given (default 3). */
  portAttempts?: number;
  /** Told the pid (= process-group id) of each attempt as soon as the process exists, before it is ready. */
  onSpawn?: (pid: number) => void;
  /** Arguments after `serve --port <port> --hostname 127.0.0.1`. */
  extraArgs?: readonly string[];
  /** Called with every line the server prints while starting. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

/**
 * Spawn `opencode serve` on 127.0.0.1 in its own process group and wait for its `listening on`
 * stdout line (never for the port alone: requests sent before that line hang). On timeout, early
 * exit or abort, the group is killed (with its descendants) and a {@link ProcessError} carries the
 * tail of the output.
 *
 * The child keeps this process alive while it runs, and is not killed when this process exits:
 * stop it with `terminateGroup(server.pid, graceMs)` or `server.group.terminate()`.
 *
 * @throws {ProcessError} `PROCESS_PORT_IN_USE` when another process took the port first (after
 * `portAttempts` fresh ports, or at once for an explicit `port`), `PROCESS_START_TIMEOUT`, `PROCESS_EXITED`, `PROCESS_SPAWN_FAILED` or
 * `PROCESS_CANCELLED`.
 * @example
 * ```ts
 * const server = await spawnServerProcess({ binary, cwd: project, env: process.env, timeoutMs: 60_000 });
 * const res = await fetch(`${server.url}/provider`);
 * await terminateGroup(server.pid, 3_000);
 * ```
 */
export async function spawnServerProcess(options: SpawnServerOptions): Promise<ServerProcess> {
  if (options.port !== undefined) return spawnOnce(options, options.port);
  const attempts = options.portAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await spawnOnce(options, port);
    } catch (error) {
      if (!ProcessError.isInstance(error) || error.code !== "PROCESS_PORT_IN_USE") throw error;
      if (attempt >= attempts)
        throw new ProcessError(
          "PROCESS_PORT_IN_USE",
          `opencode serve could not bind a port: ${attempts} free ports in a row were taken by other processes before it bound them (last: ${port})`,
          {
            cause: error,
            hints: ["something on this machine grabs ports quickly; look for it with `ss -ltnp`"],
          },
        );
    }
  }
}

async function spawnOnce(options: SpawnServerOptions, port: number): Promise<ServerProcess> {
  const group = spawnProcessGroup(
    options.binary,
    ["serve", "--port", String(port), "--hostname", "127.0.0.1", ...(options.extraArgs ?? [])],
    { cwd: options.cwd, env: options.env, keepAlive: true },
  );
  if (group.pid > 0) options.onSpawn?.(group.pid);
  try {
    const listening = await waitForListening(group, {
      timeoutMs: options.timeoutMs,
      port,
      label: options.binary,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onLine ? { onLine: options.onLine } : {}),
    });
    return { group, pid: group.pid, url: listening.url, port: listening.port, exited: group.exited };
  } catch (error) {
    await group.terminate({ graceMs: 0 });
    throw error;
  }
}
