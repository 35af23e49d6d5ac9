import { errorMarker, OrchestraError } from "@orchestra/core";

/** Stable codes of the CLI's own errors. */
export type CliErrorCode =
  /** The command line is wrong in a way commander cannot see (exit 2): conflicting or missing options. */
  "CLI_USAGE";

/** A usage problem found after commander parsed the line; commands print it and exit 2. */
export class UsageError extends OrchestraError<CliErrorCode> {
  static override readonly marker = errorMarker("UsageError");
  /** True for a UsageError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is UsageError {
    return OrchestraError.hasMarker(value, UsageError.marker);
  }

  constructor(message: string, options: { hints?: readonly string[] } = {}) {
    super("CLI_USAGE", message, options);
  }
}
