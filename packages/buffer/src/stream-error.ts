/**
 * Options for {@linkcode StreamError}.
 */
export interface StreamErrorOptions {
  /** The error that caused this one, kept for diagnostics (a socket error, for example). */
  cause?: unknown;
}

/**
 * Where a branded class keeps its brand (a static, own property). A registered symbol, so that
 * every copy of this package reads and writes the same key.
 */
const CLASS_BRAND: unique symbol = Symbol.for("asyncstreams.error.brand");

/** The built-in `instanceof` (the prototype chain), for classes without a brand of their own. */
const prototypeChainHas = Function.prototype[Symbol.hasInstance];

/**
 * The base class of every error that asyncstreams packages throw for conditions a caller handles.
 *
 * Each subclass has a stable {@linkcode StreamError.code}, a literal type per class, to match on.
 * `instanceof` works across copies: when two installed copies of a package meet in one program
 * (independent upgrades make that likely), `error instanceof IncompleteReadError` holds for an
 * error made by either copy. Each class is branded with `Symbol.for("asyncstreams.error.<Name>")`
 * on its prototype, and `instanceof` checks that brand, not the prototype's identity; the check
 * stays precise (an `IncompleteReadError` is not a `LimitOverrunError`).
 *
 * A subclass in any package gets the same by one line in its body, `static { this.brand("Name"); }`
 * with its class name, which is then part of its public contract like `code`. Without it,
 * `instanceof` that subclass falls back to the prototype chain (same copy only), while
 * `instanceof StreamError` still holds across copies.
 *
 * @example
 * ```ts
 * import { StreamError } from "@asyncstreams/buffer";
 *
 * class QuotaError extends StreamError {
 *   static {
 *     this.brand("QuotaError");
 *   }
 *   declare readonly code: "ERR_QUOTA";
 *
 *   constructor() {
 *     super("ERR_QUOTA", "Cannot store the item: quota exceeded");
 *   }
 * }
 *
 * const error = new QuotaError();
 * console.log(error instanceof StreamError, error.code); // true "ERR_QUOTA"
 * ```
 */
export class StreamError extends Error {
  static {
    this.brand("StreamError");
  }

  /** A stable, machine-readable identifier such as `ERR_INCOMPLETE_READ`. */
  readonly code: string;

  /**
   * @param code A stable identifier of the condition.
   * @param message A sentence-case message: the failed action, a colon, then the detail.
   * @param options `cause`: the underlying error.
   */
  constructor(code: string, message: string, options?: StreamErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /**
   * Brands the calling class, once, from a static block in its body: its prototype gets the
   * registered symbol `asyncstreams.error.<name>`, which every copy of the class recognises. The
   * brand is on the prototype, so constructing an error costs nothing more.
   *
   * @param name The class's own name, unique among asyncstreams errors; it never changes once
   *   published, since other copies match on it.
   * @returns Nothing.
   * @throws {TypeError} When the class is already branded.
   *
   * @example
   * ```ts
   * import { StreamError } from "@asyncstreams/buffer";
   *
   * class QuotaError extends StreamError {
   *   static {
   *     this.brand("QuotaError");
   *   }
   * }
   * console.log(new QuotaError("ERR_QUOTA", "Cannot store: quota exceeded") instanceof QuotaError); // true
   * ```
   */
  protected static brand(name: string): void {
    if (Object.hasOwn(this, CLASS_BRAND)) throw new TypeError(`Cannot brand ${name}: the class is already branded`);
    const brand = Symbol.for(`asyncstreams.error.${name}`);
    Object.defineProperty(this, CLASS_BRAND, { value: brand });
    Object.defineProperty(this.prototype, brand, { value: true });
  }

  /**
   * `value instanceof SomeStreamError`: true when `value` carries that class's brand, whichever
   * copy of the package made it; the prototype chain for a subclass without a brand of its own.
   *
   * @param value The left operand of `instanceof`.
   * @returns Whether `value` is an instance of the class `instanceof` was applied to.
   *
   * @example
   * ```ts
   * import { StreamError } from "@asyncstreams/buffer";
   *
   * console.log(new StreamError("ERR_EXAMPLE", "Cannot do it: example") instanceof StreamError); // true
   * console.log(new Error("plain") instanceof StreamError); // false
   * ```
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!Object.hasOwn(this, CLASS_BRAND)) return prototypeChainHas.call(this, value);
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[(this as unknown as Branded)[CLASS_BRAND]] === true
    );
  }
}

/** A class after {@linkcode StreamError.brand}. */
interface Branded {
  readonly [CLASS_BRAND]: symbol;
}
