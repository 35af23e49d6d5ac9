import { RuntimeError } from "@orchestra/runtime";

/**
 * Rethrow an ask's error; a cancelled ask's (`JOB_CANCELLED`) with its code at the front of the
 * message, so that the text output (`orchestra workers ask: JOB_CANCELLED: …`) names it. With
 * `--json` the code is the failure object's `code` and the message stays as it is.
 */
export function nameCancelled(error: unknown): never {
  if (RuntimeError.isInstance(error) && error.code === "JOB_CANCELLED")
    throw new RuntimeError("JOB_CANCELLED", `JOB_CANCELLED: ${error.message}`, {
      hints: [...error.hints],
      cause: error,
    });
  throw error;
}
