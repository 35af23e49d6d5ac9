import { errorMarker, OrchestraError } from "@orchestra/core";

/**
 * Stable codes of every {@link ResolverError}. Scripts match on these, never on messages.
 *
 * - `RESOLVER_INVALID_REFERENCE`: the input is empty or not a string.
 * - `RESOLVER_UNKNOWN_TAG`: `auto:<x>` / `node:<x>` with a tag that does not exist.
 * - `RESOLVER_UNKNOWN_PROVIDER`: `provider/model` where no provider has that id.
 * - `RESOLVER_PROVIDER_NOT_CONNECTED`: the provider exists in the catalog but has no credentials.
 * - `RESOLVER_UNKNOWN_MODEL`: the provider exists but has no such model (or a bare id matches nothing).
 * - `RESOLVER_AMBIGUOUS`: a bare model id that several providers offer.
 * - `RESOLVER_DEPRECATED`: the model is marked deprecated in the catalog.
 * - `RESOLVER_CAPABILITY_UNMET`: the model (or every candidate) lacks a required capability.
 * - `RESOLVER_OVER_BUDGET`: the input price is above `maxCostPer1kTokens`, or unknown while a cap is set.
 * - `RESOLVER_NO_CONNECTED_PROVIDERS`: an auto tag was asked for but no provider is connected.
 * - `RESOLVER_CATALOG_UNAVAILABLE`: the catalog could not be read or is empty.
 * - `RESOLVER_ALIAS_CYCLE`: an alias leads back to itself.
 */
export type ResolverErrorCode =
  | "RESOLVER_INVALID_REFERENCE"
  | "RESOLVER_UNKNOWN_TAG"
  | "RESOLVER_UNKNOWN_PROVIDER"
  | "RESOLVER_PROVIDER_NOT_CONNECTED"
  | "RESOLVER_UNKNOWN_MODEL"
  | "RESOLVER_AMBIGUOUS"
  | "RESOLVER_DEPRECATED"
  | "RESOLVER_CAPABILITY_UNMET"
  | "RESOLVER_OVER_BUDGET"
  | "RESOLVER_NO_CONNECTED_PROVIDERS"
  | "RESOLVER_CATALOG_UNAVAILABLE"
  | "RESOLVER_ALIAS_CYCLE";

/** One reference of a fallback chain that was tried and failed. */
export interface FailedAttempt {
  /** The reference as written (alias, tag or `provider/model`). */
  readonly ref: string;
  /** Why it failed. */
  readonly code: ResolverErrorCode;
  /** The human message of that failure. */
  readonly message: string;
}

/** Options of a {@link ResolverError}. */
export interface ResolverErrorOptions {
  /** The reference that failed (the first of a chain). */
  readonly input?: string;
  /** Close matches that exist and would resolve under the same configuration. Never the input itself. */
  readonly suggestions?: readonly string[];
  /** Every reference tried, in order, with its failure (a chain of one for a single reference). */
  readonly attempts?: readonly FailedAttempt[];
  /** Things the user can do next (connect a provider, raise a cap…). */
  readonly hints?: readonly string[];
  /** A lower-level cause. */
  readonly cause?: unknown;
}

/** The JSON form of a {@link ResolverError}, as `orchestra resolve --json` prints it (with `ok: false`). */
export interface ResolverErrorJson {
  readonly code: ResolverErrorCode;
  readonly message: string;
  readonly input?: string;
  readonly suggestions: readonly string[];
  readonly hints: readonly string[];
  readonly attempts: readonly FailedAttempt[];
}

/**
 * The one error the resolver throws. `code` is stable; `suggestions` lists real, usable model
 * references close to what was asked; `attempts` lists every reference of a fallback chain that failed.
 *
 * @example
 * ```ts
 * try { resolver.resolve("anthropic/claude-sonet-4"); } catch (e) {
 *   if (ResolverError.isInstance(e) && e.code === "RESOLVER_UNKNOWN_MODEL") console.log(e.suggestions);
 * }
 * ```
 */
export class ResolverError extends OrchestraError<ResolverErrorCode> {
  static override readonly marker = errorMarker("ResolverError");
  /** True for a ResolverError from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is ResolverError {
    return OrchestraError.hasMarker(value, ResolverError.marker);
  }

  /** The reference that failed (the first of a chain), if known. */
  readonly input: string | undefined;
  /** Close, usable matches. Never contains the input. */
  readonly suggestions: readonly string[];
  /** Every reference tried, with its failure. */
  readonly attempts: readonly FailedAttempt[];

  constructor(code: ResolverErrorCode, message: string, options: ResolverErrorOptions = {}) {
    super(code, message, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.hints === undefined ? {} : { hints: options.hints }),
    });
    this.input = options.input;
    const input = options.input;
    this.suggestions = (options.suggestions ?? []).filter((s) => s !== input);
    this.attempts = options.attempts ?? (input === undefined ? [] : [{ ref: input, code, message }]);
  }

  /** The same as {@link ResolverError.isInstance}, under the name existing callers use. */
  static isResolverError(value: unknown): value is ResolverError {
    return ResolverError.isInstance(value);
  }

  /** A plain JSON form, stable for scripts. */
  toJSON(): ResolverErrorJson {
    return {
      code: this.code,
      message: this.message,
      ...(this.input === undefined ? {} : { input: this.input }),
      suggestions: this.suggestions,
      hints: this.hints,
      attempts: this.attempts,
    };
  }
}
