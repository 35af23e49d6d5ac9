import type { RuleId } from "./rules.js";

/** The outcome of {@link check}. */
export interface Decision {
  /** `allow` or `deny`. There is no `ask`: a worker has nobody to ask. */
  decision: "allow" | "deny";
  /** Why, in one or two sentences; a deny also says what would be allowed instead. */
  reason: string;
  /** The stable id of the deciding rule (see `RULES`). */
  rule: RuleId;
}

/** Internal: thrown inside the validator to stop at the first deny. Never escapes {@link check}. */
export class Denial {
  readonly rule: RuleId;
  readonly reason: string;
  constructor(rule: RuleId, reason: string, instead: string) {
    this.rule = rule;
    this.reason = instead ? `${reason} Allowed instead: ${instead}` : reason;
  }
}

/** Throw a {@link Denial}. */
export function deny(rule: RuleId, reason: string, instead: string): never {
  throw new Denial(rule, reason, instead);
}

/** A deny decision. */
export function denied(d: Denial): Decision {
  return { decision: "deny", reason: d.reason, rule: d.rule };
}

/** An allow decision. */
export function allowed(reason: string): Decision {
  return { decision: "allow", reason, rule: "allowed" };
}
