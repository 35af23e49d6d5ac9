import { OrchestraError } from "@orchestra/core";

/**
 * Stable codes of {@link TestkitError}.
 *
 * - `OPENCODE_NOT_FOUND`: the `opencode` binary could not be resolved or is not runnable.
 * - `OPENCODE_START_TIMEOUT`: `opencode serve` did not print its `listening on` line in time.
 * - `OPENCODE_EXITED`: `opencode serve` exited before it was ready.
 * - `MODEL_SERVER_FAILED`: the scripted model server could not listen.
 * - `INVALID_OPTIONS`: an option passed to a testkit function is inconsistent.
 * - `WAIT_TIMEOUT`: something a test waited for did not happen in time.
 */
export type TestkitErrorCode =
  | "OPENCODE_NOT_FOUND"
  | "OPENCODE_START_TIMEOUT"
  | "OPENCODE_EXITED"
  | "MODEL_SERVER_FAILED"
  | "INVALID_OPTIONS"
  | "WAIT_TIMEOUT";

/** The error every `@orchestra/testkit` function throws. Match on `code`. */
export class TestkitError extends OrchestraError<TestkitErrorCode> {}
