import type { StreamMessage } from "@orchestra/runtime";
import { terminalSafe } from "../terminal-text.js";

/** Prints a job's stream for `orchestra workers ask --stream`. */
export interface StreamPrinter {
  /** Pass as the ask's `onStream`. */
  onStream: (message: StreamMessage) => void;
  /** Ends an unfinished line (call when the ask ends without a `done`, e.g. cancelled). */
  end: () => void;
  /** Resolves once everything written so far reached stdout and stderr. */
  flushed: () => Promise<void>;
}

/**
 * `orchestra workers ask --stream`: each text chunk is written to stdout as it arrives (one write
 * per chunk, nothing buffered), ending with a newline like the answer without `--stream`; tool
 * starts and ends are lines on stderr (`tool-start bash`, `tool-end bash completed`). Reasoning and
 * status messages are not printed; an error ends the ask with its message (printed by the CLI).
 * A new text part (e.g. the answer after a steer) starts on a new line when the previous text
 * ended mid-line, and {@link StreamPrinter.end} ends a line a cancel cut off.
 * The worker's text and tool names are printed without terminal escapes ({@link terminalSafe}).
 */
export function streamPrinter(
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): StreamPrinter {
  let open = false;
  let partId: string | undefined;
  const endLine = (): void => {
    if (!open) return;
    out.write("\n");
    open = false;
  };
  return {
    onStream(message) {
      if (message.kind === "text") {
        const text = terminalSafe(message.payload.delta);
        if (text === "") return;
        if (partId !== undefined && message.payload.partId !== partId) endLine();
        partId = message.payload.partId;
        out.write(text);
        open = !text.endsWith("\n");
      } else if (message.kind === "tool-start") {
        err.write(`tool-start ${terminalSafe(message.payload.tool)}\n`);
      } else if (message.kind === "tool-end") {
        const error = message.payload.error === undefined ? "" : `: ${message.payload.error}`;
        err.write(terminalSafe(`tool-end ${message.payload.tool} ${message.payload.status}${error}`) + "\n");
      } else if (message.kind === "done") {
        endLine();
      }
    },
    end: endLine,
    flushed: () =>
      Promise.all([
        new Promise<void>((resolve) => out.write("", () => resolve())),
        new Promise<void>((resolve) => err.write("", () => resolve())),
      ]).then(() => undefined),
  };
}
