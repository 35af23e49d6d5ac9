import { errorMarker, OrchestraError } from "@orchestra/core";

/**
 * Stable codes of {@link TestkitError}.
 *
 *
 * Resolving and starting `opencode` fails with `ProcessError` from `@orchestra/process`
 * (`PROCESS_OPENCODE_NOT_FOUND`, `PROCESS_START_TIMEOUT`, `PROCESS_EXITED`, …).
 * - `TESTKIT_MODEL_SERVER_FAILED`: the scripted model server could not listen.
 * - `TESTKIT_INVALID_OPTIONS`: an option passed to a testkit function is inconsistent.
 * - `TESTKIT_WAIT_TIMEOUT`: something a test waited for did not happen in time.
 */
export type TestkitErrorCode =
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
