import type { Readable } from "node:stream";
import { isPortInUse } from "./port.js";
import { ProcessError, type ProcessErrorCode } from "./process-error.js";
import type { ProcessGroup } from "./process-group.js";

/** The line `opencode serve` prints once it answers requests (never trust the open port alone). */
export const LISTENING_LINE = /opencode server listening on (https?:\/\/\S+)/;

/** Output that says the port could not be bound. OpenCode 1.18 prints only `ServeError` then. */
const PORT_IN_USE = /EADDRINUSE|address already in use|port \d+ (?:is )?(?:already )?in use/i;
const SERVE_ERROR = /\bServeError\b/;

/** Options of {@link waitForListening}. */
export interface WaitForListeningOptions {
  /** Give up after this long, in milliseconds. */
  timeoutMs: number;
  /** Cancels the wait (`PROCESS_CANCELLED`). */
  signal?: AbortSignal;
  /** The port the server was told to bind, to tell a bind failure from other early exits. */
  port?: number;
  /** Called with every line the server prints while starting. */
  onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** More context for the error message (for example the tail of the server's log file). */
  context?: () => string;
  /** What the binary is, for messages (default: the spawned command). */
  label?: string;
}

/** Where the server listens. */
export interface Listening {
  /** The URL from the `listening on` line, without a trailing slash. */
  url: string;
  /** The port of `url`. */
  port: number;
}

const TAIL_LINES = 30;

/** Resolves once both pipes have ended, or after 250 ms (a descendant may hold them open). */
function drained(...streams: Array<Readable | null>): Promise<void> {
  const ends = streams.map((stream) =>
    !stream || stream.readableEnded || stream.destroyed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          stream.once("close", resolve);
          stream.once("end", resolve);
        }),
  );
  return Promise.race([
    Promise.all(ends).then(() => undefined),
    new Promise<void>((r) => setTimeout(r, 250)),
  ]);
}

function lineReader(stream: Readable | null, onLine: (line: string) => void): () => void {
  if (!stream) return () => undefined;
  let buffer = "";
  const onData = (chunk: Buffer | string) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) onLine(line.replace(/\r$/, ""));
  };
  stream.on("data", onData);
  return () => {
    stream.off("data", onData);
    if (buffer) onLine(buffer);
    buffer = "";
    // Keep draining, so the child never blocks on a full pipe.
    stream.resume();
  };
}

/**
 * Wait until a server started with {@link spawnProcessGroup} prints its `listening on` line, and
 * return its URL. Never wait for the port alone: OpenCode accepts connections before that line,
 * and requests sent then hang. The group is left running either way; stop it on failure.
 *
 * Exits are classified: an exit whose output says the port could not be bound (EADDRINUSE, or
 * OpenCode's bare `ServeError` while `port` is taken) is `PROCESS_PORT_IN_USE`, so the caller can
 * retry on another port; any other exit is `PROCESS_EXITED`; a binary that cannot be run is
 * `PROCESS_SPAWN_FAILED`. Every message carries the last lines of output.
 *
 * @throws {ProcessError} `PROCESS_START_TIMEOUT`, `PROCESS_PORT_IN_USE`, `PROCESS_EXITED`,
 * `PROCESS_SPAWN_FAILED` or `PROCESS_CANCELLED`.
 */
export function waitForListening(group: ProcessGroup, options: WaitForListeningOptions): Promise<Listening> {
  const { child } = group;
  const label = options.label ?? child.spawnfile;
  const tail: string[] = [];
  const remember = (line: string, stream: "stdout" | "stderr") => {
    tail.push(stream === "stderr" ? `[stderr] ${line}` : line);
    if (tail.length > TAIL_LINES) tail.shift();
    options.onLine?.(line, stream);
  };
  return new Promise<Listening>((resolve, reject) => {
    let settled = false;
    const stopStdout = lineReader(child.stdout, (line) => {
      remember(line, "stdout");
      const match = LISTENING_LINE.exec(line);
      if (!match?.[1] || settled) return;
      const url = match[1].replace(/\/$/, "");
      finish();
      resolve({ url, port: Number(new URL(url).port) });
    });
    const stopStderr = lineReader(child.stderr, (line) => remember(line, "stderr"));
    const message = (what: string) =>
      [
        `${label} ${what}.`,
        tail.length ? `--- output (last lines) ---\n${tail.join("\n")}` : "(no output)",
        options.context?.() ?? "",
      ]
        .filter(Boolean)
        .join("\n");
    const fail = (code: ProcessErrorCode, what: string, hints: string[], cause?: unknown) => {
      if (settled) return;
      finish();
      reject(new ProcessError(code, message(what), { hints, ...(cause === undefined ? {} : { cause }) }));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // Let the last output arrive before it is classified.
      void drained(child.stdout, child.stderr).then(async () => {
        const output = tail.join("\n");
        const what = `exited before it was ready (code ${code}, signal ${signal})`;
        const portTaken =
          PORT_IN_USE.test(output) ||
          (SERVE_ERROR.test(output) && options.port !== undefined && (await isPortInUse(options.port)));
        if (portTaken)
          fail(
            "PROCESS_PORT_IN_USE",
            `could not bind port ${options.port ?? "(unknown)"}: another process holds it; ${what}`,
            ["start it again on another port (a new free port is chosen by default)"],
          );
        else
          fail("PROCESS_EXITED", what, [
            `run \`${label} serve --print-logs\` in the same directory with the same config to see the error`,
          ]);
      });
    };
    const onError = (error: Error) =>
      fail(
        "PROCESS_SPAWN_FAILED",
        `could not be started: ${error.message}`,
        ["check that the path is an executable opencode binary (set ORCHESTRA_OPENCODE_BIN to choose one)"],
        error,
      );
    const onAbort = () =>
      fail("PROCESS_CANCELLED", "start was cancelled", ["nothing to do: it was asked for"]);
    const timer = setTimeout(
      () =>
        fail("PROCESS_START_TIMEOUT", `printed no "listening on" line within ${options.timeoutMs} ms`, [
          "raise the start-up timeout on a loaded machine (spawn.startupTimeoutMs)",
          "check the output above for a config error",
        ]),
      options.timeoutMs,
    );
    function finish() {
      settled = true;
      clearTimeout(timer);
      stopStdout();
      stopStderr();
      child.off("exit", onExit);
      child.off("error", onError);
      options.signal?.removeEventListener("abort", onAbort);
    }
    child.once("exit", onExit);
    child.once("error", onError);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
