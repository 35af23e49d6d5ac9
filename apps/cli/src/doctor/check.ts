/** How one doctor check came out: `fail` makes `orchestra doctor` exit 1, `warn` does not. */
export type CheckStatus = "pass" | "warn" | "fail";

/** One line of `orchestra doctor`: exactly the shape `--json` prints for each check. */
export interface CheckResult {
  /** The check's stable id (`opencode`, `config`, …; see docs-site/docs/runbooks/doctor.md). */
  id: string;
  status: CheckStatus;
  /** What was found; may span lines (one per problem). */
  message: string;
  /** What to do, only when there is something to do. */
  hint?: string;
}

/** A {@link CheckResult}, with `hint` only when one is given. */
export function checkResult(id: string, status: CheckStatus, message: string, hint?: string): CheckResult {
  return hint === undefined ? { id, status, message } : { id, status, message, hint };
}

/** `1 thing` / `2 things`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
