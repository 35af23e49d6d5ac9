import { errorMarker, formatIssue, type Issue, OrchestraError } from "@orchestra/core";

/** Stable codes of {@link ProfileError} and of each {@link ProfileIssue}. */
export type ProfileErrorCode =
  /** A value does not match the profile schema (wrong type, out of bounds, bad format). */
  | "PROFILE_INVALID"
  /** A key the schema does not know, usually a misspelling (keys are case-sensitive). */
  | "PROFILE_UNKNOWN_KEY"
  /** A permission category level that does not exist (e.g. `filesystem: "readonly"`). */
  | "PROFILE_INVALID_LEVEL"
  /** A markdown profile file has no front-matter, or its YAML does not parse. */
  | "PROFILE_FRONTMATTER"
  /** A markdown profile's front-matter `name` differs from the id its path gives. */
  | "PROFILE_NAME_MISMATCH"
  /** Two user definitions claim the same id. */
  | "PROFILE_DUPLICATE"
  /** One `permissions.tools` block names the same tool twice (`bash`/`Shell`, `patch`/`apply_patch`). */
  | "PROFILE_DUPLICATE_TOOL"
  /** `extends` or `compose` names a profile that does not exist. */
  | "PROFILE_UNKNOWN_PARENT"
  /** `extends`/`compose` lead back to a profile already being resolved. */
  | "PROFILE_CYCLE"
  /** `extends` and `compose` are both given: the two rules differ, so pick one. */
  | "PROFILE_CONFLICT"
  /** The requested profile id is not defined. */
  | "PROFILE_NOT_FOUND"
  /** A profile file could not be read. */
  | "PROFILE_READ";

/** One problem in a profile definition, with the JSON path of the bad value: the shared `Issue` and its code. */
export interface ProfileIssue extends Issue {
  /** The stable code of this problem. */
  code: ProfileErrorCode;
}

/** Render an issue as `file: path: what is wrong (got X, expected Y); did you mean "Z"?`. */
export function formatProfileIssue(issue: ProfileIssue): string {
  return formatIssue(issue, { file: true });
}

/**
 * A profile could not be loaded or resolved. Such a profile fails closed: it is never used in a
 * widened or partial form. `issues` lists every problem found so they can all be fixed in one pass.
 */
export class ProfileError extends OrchestraError<ProfileErrorCode> {
  static override readonly marker = errorMarker("ProfileError");
  /** True for a ProfileError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is ProfileError {
    return OrchestraError.hasMarker(value, ProfileError.marker);
  }

  /** Every problem found. The error's `code` is the first issue's code. */
  readonly issues: readonly ProfileIssue[];

  constructor(
    code: ProfileErrorCode,
    message: string,
    options: { issues?: readonly ProfileIssue[]; hints?: readonly string[]; cause?: unknown } = {},
  ) {
    const issues = options.issues ?? [];
    const lines = issues.map((i) => `  ${formatProfileIssue(i)}`);
    super(code, lines.length ? `${message}:\n${lines.join("\n")}` : message, {
      cause: options.cause,
      hints: options.hints ?? [],
    });
    this.issues = issues;
  }

  /** Build an error from issues; the code is the first issue's. */
  static fromIssues(
    message: string,
    issues: readonly ProfileIssue[],
    hints?: readonly string[],
  ): ProfileError {
    return new ProfileError(issues[0]?.code ?? "PROFILE_INVALID", message, {
      issues,
      hints: hints ?? ["fix the lines above; `orchestra profiles show <id>` re-checks a profile"],
    });
  }
}
