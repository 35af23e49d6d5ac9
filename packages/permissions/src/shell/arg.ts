import type { WordValue } from "./words.js";

/** One argument of a simple command. */
export interface Arg {
  readonly v: WordValue;
  /** Source text, quoting kept (used when appending args to an npm script). */
  readonly text: string;
}

/** A static argument, as written by the analyzer itself. */
export function literalArg(value: string): Arg {
  return { v: { kind: "static", value, tilde: false, home: false }, text: value };
}

/** True when `arg` is `flag`, `flag=…`, or (for a one-letter flag) a bundle holding it. */
export function hasFlag(arg: string, flags: readonly string[]): boolean {
  for (const f of flags) {
    if (arg === f || arg.startsWith(`${f}=`)) return true;
    if (
      f.length === 2 &&
      f[0] === "-" &&
      arg.startsWith("-") &&
      !arg.startsWith("--") &&
      arg.slice(1).includes(f[1] as string)
    ) {
      return true;
    }
  }
  return false;
}
