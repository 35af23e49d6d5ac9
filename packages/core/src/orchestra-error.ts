const FAMILY_MARKER = Symbol.for("open-orchestra.error");

/** Options accepted by every {@link OrchestraError}. */
export interface OrchestraErrorOptions {
  /** The lower-level error that caused this one, if any. */
  cause?: unknown;
  /** Suggestions the user can act on (shown after the message). */
  hints?: readonly string[];
}

/**
 * The marker a class of the family stamps on its instances: `Symbol.for("open-orchestra.error.<name>")`.
 * `Symbol.for` makes the same symbol in every copy of every package, so identity survives duplicates.
 *
 * @param className - The class's name as written in its source, e.g. `"LifecycleError"`. Spelled out,
 *   never `this.name`: a minifier may rename classes.
 */
export function errorMarker(className: string): symbol {
  return Symbol.for(`open-orchestra.error.${className}`);
}

/**
 * The base class of every error Open Orchestra throws.
 *
 * `code` is a stable, machine-readable string from a literal union owned by each package and
 * carrying its prefix (for example `CONFIG_INVALID`). Scripts match on `code`, never on `message`.
 *
 * Use `isInstance` rather than `instanceof`: the plugin host and a user's own import may load two
 * copies of a package, and `instanceof` lies across copies. Every class of the family has its own
 * marker and its own `isInstance`, so `LifecycleError.isInstance(registryError)` is false while
 * `OrchestraError.isInstance(registryError)` is true. A subclass declares both, always this way:
 *
 * @example
 * ```ts
 * export class PoolError extends OrchestraError<"POOL_TIMEOUT" | "POOL_DRAINING"> {
 *   static override readonly marker = errorMarker("PoolError");
 *   /** True for a PoolError (or a subclass) from any copy of this package. *\/
 *   static override isInstance(value: unknown): value is PoolError {
 *     return OrchestraError.hasMarker(value, PoolError.marker);
 *   }
 * }
 *
 * try { await pool.acquire(); } catch (e) {
 *   if (PoolError.isInstance(e) && e.code === "POOL_TIMEOUT") console.error(e.describe());
 * }
 * ```
 */
export class OrchestraError<Code extends string = string> extends Error {
  /**
   * The class's own marker (see `errorMarker`). The constructor stamps an instance with the
   * marker of every class of its chain that declares one, so a `PoolError` carries the family's
   * marker and `PoolError`'s.
   */
  static readonly marker: symbol = FAMILY_MARKER;
  /** Stable machine-readable error code. */
  readonly code: Code;
  /** Suggestions the user can act on. */
  readonly hints: readonly string[];
  constructor(code: Code, message: string, options: OrchestraErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hints = options.hints ?? [];
    for (let cls: object = new.target; ; cls = Object.getPrototypeOf(cls) as object) {
      if (Object.hasOwn(cls, "marker")) {
        Object.defineProperty(this, (cls as typeof OrchestraError).marker, { value: true });
      }
      if (cls === OrchestraError) break;
    }
  }

  /** True when `value` carries `marker`. Each subclass's `isInstance` is this with its own marker. */
  static hasMarker(value: unknown, marker: symbol): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  /**
   * True for any Open Orchestra error, from any copy of any Open Orchestra package.
   *
   * Every subclass overrides this with a check of its own marker. Called on a subclass that did
   * not, it checks that subclass's marker if it declared one, else falls back to `instanceof`
   * (which may say no across copies, but never yes wrongly), rather than answering for the family.
   */
  static isInstance(value: unknown): value is OrchestraError {
    // biome-ignore lint/complexity/noThisInStatic: the class isInstance is called on decides the marker
    // biome-ignore lint/complexity/noUselessThisAlias: typed unknown, as `this` is undefined when detached
    const cls: unknown = this;
    if (typeof cls === "function" && cls !== OrchestraError) {
      return Object.hasOwn(cls, "marker")
        ? OrchestraError.hasMarker(value, (cls as typeof OrchestraError).marker)
        : value instanceof cls;
    }
    return OrchestraError.hasMarker(value, FAMILY_MARKER);
  }

  /** The message followed by hints, one per line, as the CLI prints it. */
  describe(): string {
    return this.hints.length === 0
      ? this.message
      : `${this.message}\n${this.hints.map((h) => `  hint: ${h}`).join("\n")}`;
  }
}
