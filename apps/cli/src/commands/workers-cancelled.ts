import { RuntimeError } from "@orchestra/runtime";

/** The codes a text-mode ask failure names: a cancel, and a budget's refusal or cancel. */
const NAMED: ReadonlySet<string> = new Set(["JOB_CANCELLED", "BUDGET_EXCEEDED"]);

/**
 * Rethrow an ask's error; a cancelled ask's (`JOB_CANCELLED`) or a budget's (`BUDGET_EXCEEDED`) with its code at the front of the
 * message, so that the text output (`orchestra workers ask: JOB_CANCELLED: …`) names it. With
 * `--json` the code is the failure object's `code` and the message stays as it is.
 */
export function nameCancelled(error: unknown): never {
  if (RuntimeError.isInstance(error) && NAMED.has(error.code))
    throw new RuntimeError(error.code, `${error.code}: ${error.message}`, {
      hints: [...error.hints],
      cause: error,
    });
  throw error;
}
