import { errorMarker, OrchestraError } from "@orchestra/core";

/**
 * Stable codes of {@link TestkitError}.
 *
 * - `TESTKIT_OPENCODE_NOT_FOUND`: the `opencode` binary could not be resolved or is not runnable.
 * - `TESTKIT_OPENCODE_START_TIMEOUT`: `opencode serve` did not print its `listening on` line in time.
 * - `TESTKIT_OPENCODE_EXITED`: `opencode serve` exited before it was ready.
 * - `TESTKIT_MODEL_SERVER_FAILED`: the scripted model server could not listen.
 * - `TESTKIT_INVALID_OPTIONS`: an option passed to a testkit function is inconsistent.
 * - `TESTKIT_WAIT_TIMEOUT`: something a test waited for did not happen in time.
 */
export type TestkitErrorCode =
  | "TESTKIT_OPENCODE_NOT_FOUND"
  | "TESTKIT_OPENCODE_START_TIMEOUT"
  | "TESTKIT_OPENCODE_EXITED"
  | "TESTKIT_MODEL_SERVER_FAILED"
  | "TESTKIT_INVALID_OPTIONS"
  | "TESTKIT_WAIT_TIMEOUT";

/** The error every `@orchestra/testkit` function throws. Match on `code`. */
export class TestkitError extends OrchestraError<TestkitErrorCode> {
  static override readonly marker = errorMarker("TestkitError");
  /** True for a TestkitError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is TestkitError {
    return OrchestraError.hasMarker(value, TestkitError.marker);
  }
}
