import type { Access } from "../../paths.js";

/** Whether an option takes a value: none, a required one, or an optional (attached-only) one. */
export type Arity = "none" | "required" | "optional";

/** One option of a program, with every spelling and what it does. */
export interface OptionSpec {
  /** Every spelling, short first: `-o`, `--output`. */
  readonly names: readonly string[];
  /** The value each spelling takes (spellings may differ: diff `-C NUM` but `--context[=NUM]`). */
  readonly arity: ReadonlyMap<string, Arity>;
  /** The value names a file (or directory) the program reads or writes. */
  readonly path?: Access;
  /** The option makes the program write files by itself (`sed -i`, `tar -x`). */
  readonly writes?: true;
  /** The option runs a program (its value, or one it names). */
  readonly runs?: true;
  /** The program then touches paths the command line does not name (`tar -P`, `--transform`). */
  readonly escapes?: true;
}

/** How a program reads its options. */
export type OptionStyle = "gnu" | "git";

/** A program's option table, compiled for lookup. */
export interface OptionTable {
  /** The program (and git subcommand), e.g. `sort`, `git commit`. */
  readonly program: string;
  /** Where the table comes from (documentation and version). */
  readonly source: string;
  readonly style: OptionStyle;
  readonly short: ReadonlyMap<string, OptionSpec>;
  /** Long names without the leading `--` (git tables include the `no-` forms). */
  readonly long: ReadonlyMap<string, OptionSpec>;
  /** Long names whose spec is the negation (`--no-x` of `--x`, `--x` of `--no-x`). */
  readonly negated: ReadonlySet<string>;
}

const EFFECTS = new Set(["read", "write", "writes", "runs", "escapes"]);

/**
 * Compile an option table from rows of data.
 *
 * A row's key lists the spellings (`"-o --output"`); a spelling may override the row's value with a
 * suffix: `=` (required), `[=]` (optional) or `!` (none). The row's value is the value it takes
 * (`""`, `"=FILE"` or `"[=WHEN]"`), then the effects: `read`/`write` (the value is a path with that
 * access), `writes`, `runs`, `escapes`. Example: `"--compress-program": "=PROG runs"`.
 * In `git` style, every long option also has its `--no-` negation (and `--no-x` its positive form).
 */
export function optionTable(
  program: string,
  source: string,
  style: OptionStyle,
  rows: Readonly<Record<string, string>>,
): OptionTable {
  const short = new Map<string, OptionSpec>();
  const long = new Map<string, OptionSpec>();
  const negated = new Set<string>();
  for (const [key, row] of Object.entries(rows)) {
    const words = row.split(" ").filter((w) => w !== "");
    const first = words[0] ?? "";
    const base: Arity = first.startsWith("[=") ? "optional" : first.startsWith("=") ? "required" : "none";
    const effects = base === "none" ? words : words.slice(1);
    const names: string[] = [];
    const arity = new Map<string, Arity>();
    for (const spelled of key.split(" ")) {
      const m = /^(-{1,2}[^=[!]+)(=|\[=\]|!)?$/.exec(spelled);
      if (!m) throw new Error(`option table ${program}: bad spelling ${spelled}`);
      const name = m[1] as string;
      const suffix = m[2];
      names.push(name);
      arity.set(name, suffix === "=" ? "required" : suffix === "[=]" ? "optional" : suffix ? "none" : base);
    }
    const spec: { -readonly [K in keyof OptionSpec]: OptionSpec[K] } = { names, arity };
    for (const e of effects) {
      if (!EFFECTS.has(e)) throw new Error(`option table ${program}: bad effect ${e} in ${key}`);
      if (e === "read" || e === "write") spec.path = e;
      else spec[e as "writes" | "runs" | "escapes"] = true;
    }
    for (const name of names) {
      if (name.startsWith("--")) long.set(name.slice(2), spec);
      else short.set(name.slice(1), spec);
    }
  }
  if (style === "git") {
    for (const [name, spec] of [...long]) {
      const other = name.startsWith("no-") ? name.slice(3) : `no-${name}`;
      if (long.has(other)) continue;
      const negation: OptionSpec = { names: spec.names, arity: new Map(spec.names.map((n) => [n, "none"])) };
      long.set(other, negation);
      negated.add(other);
    }
  }
  return { program, source, style, short, long, negated };
}

/** The spec and canonical spelling a long name (without `--`) resolves to, or why it does not. */
export type LongMatch =
  | { readonly kind: "found"; readonly name: string; readonly spec: OptionSpec }
  | { readonly kind: "unknown" }
  | { readonly kind: "ambiguous"; readonly candidates: readonly string[] };

/**
 * Resolve a long option name the way getopt_long and git's parse-options do: an exact name wins,
 * otherwise any unambiguous prefix (`--outp` for `--output`). Prefixes of several spellings of the
 * same option are not ambiguous.
 */
export function resolveLong(table: OptionTable, name: string): LongMatch {
  const exact = table.long.get(name);
  if (exact) return { kind: "found", name, spec: exact };
  let found: { name: string; spec: OptionSpec } | undefined;
  let ambiguous = false;
  const candidates: string[] = [];
  for (const [candidate, spec] of table.long) {
    if (!candidate.startsWith(name)) continue;
    candidates.push(`--${candidate}`);
    if (found === undefined) found = { name: candidate, spec };
    else if (found.spec !== spec) ambiguous = true;
  }
  if (ambiguous) return { kind: "ambiguous", candidates };
  return found ? { kind: "found", ...found } : { kind: "unknown" };
}
