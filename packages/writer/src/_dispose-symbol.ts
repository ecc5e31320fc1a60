/**
 * `Symbol.dispose`, or where the runtime has none (Firefox ESR 140, for one) the registered
 * `Symbol.for("Symbol.dispose")` that transpiled `using` declarations (Babel, esbuild, oxc) look up
 * instead. A plain `[Symbol.dispose]` key would be the string `"undefined"` there.
 */
export const disposeSymbol: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ?? (Symbol.for("Symbol.dispose") as typeof Symbol.dispose);
