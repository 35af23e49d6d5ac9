import { OrchestraError } from "@orchestra/core";
import { CommanderError } from "commander";
import { cliHint } from "./cli-hints.js";
import { EXIT } from "./exit.js";
import { terminalSafe } from "./terminal-text.js";
import { UsageError } from "./usage-error.js";

/** The one object a command given `--json` prints on stdout when it fails. */
interface JsonFailure {
  ok: false;
  /** A stable code: the error's own (`CONFIG_INVALID`, `WORKER_NOT_FOUND`…), `CLI_USAGE` or `CLI_INTERNAL`. */
  code: string;
  message: string;
  hints: string[];
}

/** How a failure is reported: as one JSON object on stdout, or as text on stderr. */
export interface FailureOutput {
  json: boolean;
  /** The command's name for text messages, e.g. `orchestra workers ask`. */
  command: string;
  /** `ORCHESTRA_DEBUG=1`: also print the stack of an unexpected error. */
  debug: boolean;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const BUG_HINT =
  "this is a bug in Open Orchestra: run again with ORCHESTRA_DEBUG=1 for the stack trace and report it";

/** The failure as `{ ok: false, code, message, hints }`, and the exit code it gets. */
function classify(error: unknown): { failure: JsonFailure; exit: number; expected: boolean } {
  if (error instanceof CommanderError) {
    const message = error.message.replace(/^error: /, "");
    return {
      failure: {
        ok: false,
        code: "CLI_USAGE",
        message,
        hints: ["run the command with --help for its usage"],
      },
      exit: EXIT.usage,
      expected: true,
    };
  }
  if (OrchestraError.isInstance(error)) {
    return {
      // The runtime's hints name the plugin's tools too: the CLI names its own commands.
      failure: { ok: false, code: error.code, message: error.message, hints: error.hints.map(cliHint) },
      exit: UsageError.isInstance(error) ? EXIT.usage : EXIT.failure,
      expected: true,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    failure: { ok: false, code: "CLI_INTERNAL", message, hints: [BUG_HINT] },
    exit: EXIT.failure,
    expected: false,
  };
}

/**
 * Report a command's failure and return its exit code: 2 for bad usage, 1 for anything else. With
 * `json`, exactly one {@link JsonFailure} goes to stdout; otherwise a message and its hints go to
 * stderr. A stack trace is printed only for an unexpected error, and only with `debug`.
 */
export function reportFailure(error: unknown, out: FailureOutput): number {
  const { failure, exit, expected } = classify(error);
  if (out.json) {
    out.stdout(`${JSON.stringify(failure)}\n`);
  } else if (!(error instanceof CommanderError)) {
    // commander has already printed its own usage errors.
    const lines = [
      `${out.command}: ${expected ? "" : "internal error: "}${failure.message}`,
      ...failure.hints.map((h) => `  hint: ${h}`),
    ];
    // A worker's or provider's message may carry terminal escapes.
    out.stderr(`${terminalSafe(lines.join("\n"))}\n`);
  }
  if (!expected && out.debug && error instanceof Error && error.stack) out.stderr(`${error.stack}\n`);
  return exit;
}
