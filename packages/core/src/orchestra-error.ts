const MARKER = Symbol.for("open-orchestra.error");

/** Options accepted by every {@link OrchestraError}. */
export interface OrchestraErrorOptions {
  /** The lower-level error that caused this one, if any. */
  cause?: unknown;
  /** Suggestions the user can act on (shown after the message). */
  hints?: readonly string[];
}

/**
 * The base class of every error Open Orchestra throws.
 *
 * `code` is a stable, machine-readable string from a literal union owned by each package
 * (for example `CONFIG_INVALID`). Scripts match on `code`, never on `message`.
 *
 * Use {@link OrchestraError.isInstance} rather than `instanceof`: the plugin host and a user's
 * own import may load two copies of a package, and `instanceof` lies across copies.
 *
 * @example
 * ```ts
 * try { await loadConfig(); } catch (e) {
 *   if (OrchestraError.isInstance(e) && e.code === "CONFIG_INVALID") console.error(e.message);
 * }
 * ```
 */
export class OrchestraError<Code extends string = string> extends Error {
  /** Stable machine-readable error code. */
  readonly code: Code;
  /** Suggestions the user can act on. */
  readonly hints: readonly string[];
  constructor(code: Code, message: string, options: OrchestraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hints = options.hints ?? [];
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for any Open Orchestra error, from any copy of any Open Orchestra package. */
  static isInstance(value: unknown): value is OrchestraError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** The message followed by hints, one per line, as the CLI prints it. */
  describe(): string {
    return this.hints.length === 0
      ? this.message
      : `${this.message}\n${this.hints.map((h) => `  hint: ${h}`).join("\n")}`;
  }
}
