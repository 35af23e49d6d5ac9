import type { Arg } from "../arg.js";

/** A long option `--name[=v]`: its name, and whether it abbreviates one of `full` (getopt_long). */
function longName(arg: string): string {
  const eq = arg.indexOf("=");
  return eq === -1 ? arg : arg.slice(0, eq);
}

export function abbreviates(name: string, full: readonly string[]): boolean {
  return name.length >= 3 && full.some((f) => f.startsWith(name));
}

export interface Parsed {
  /** Non-option arguments, in order. */
  readonly operands: Arg[];
  /** Short letters seen (in bundles, up to the first value letter). */
  readonly shorts: Set<string>;
  /** Long option names seen, with their values (`=v` or the next argument). */
  readonly longs: Map<string, string | undefined>;
  /** Operands that came after `--`. */
  readonly afterDashes: Set<Arg>;
}

/**
 * Split getopt-style arguments. `shortValues`: letters that take a value (rest of the bundle or the
 * next argument). `longValues`: long options that take one; abbreviations count when `abbrev`.
 * Unknown options take no value, so their values become operands: more is checked, never less.
 */
export function parseOptions(
  args: readonly Arg[],
  shortValues: string,
  longValues: readonly string[],
  abbrev: boolean,
): Parsed {
  const operands: Arg[] = [];
  const shorts = new Set<string>();
  const longs = new Map<string, string | undefined>();
  const afterDashes = new Set<Arg>();
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (ended || a.v.kind === "dynamic" || !v.startsWith("-") || v === "-") {
      operands.push(a);
      if (ended) afterDashes.add(a);
      continue;
    }
    if (v === "--") {
      ended = true;
      continue;
    }
    if (v.startsWith("--")) {
      const name = longName(v);
      const takes = longValues.includes(name) || (abbrev && abbreviates(name, longValues));
      if (v.includes("=")) longs.set(name, v.slice(name.length + 1));
      else if (takes) {
        longs.set(name, args[i + 1]?.v.value);
        i++;
      } else longs.set(name, undefined);
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const c = v[k] as string;
      shorts.add(c);
      if (shortValues.includes(c)) {
        if (k === v.length - 1) {
          longs.set(`-${c}`, args[i + 1]?.v.value);
          i++;
        } else longs.set(`-${c}`, v.slice(k + 1));
        break;
      }
    }
  }
  return { operands, shorts, longs, afterDashes };
}

export function hasLong(p: Parsed, full: readonly string[]): boolean {
  for (const name of p.longs.keys()) if (name.startsWith("--") && abbreviates(name, full)) return true;
  return false;
}
