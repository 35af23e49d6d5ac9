import type { Arg } from "../arg.js";
import type { WordValue } from "../words.js";
import { type Arity, type OptionSpec, type OptionTable, resolveLong } from "./table.js";

/** One option as the program would read it. */
export interface ParsedOption {
  readonly spec: OptionSpec;
  /** The argument as written (`--outp=x`, `-fu`). */
  readonly spelled: string;
  /** The spelling it resolved to (`--output`, `-f`). */
  readonly name: string;
  /** A git `--no-x` form (or the `--x` form of a `--no-x` option). */
  readonly negated: boolean;
  /** The option's value, attached (`--o=x`, `-tDIR`) or the next argument. */
  readonly value: WordValue | undefined;
}

/** Why an argument could not be read as a known option. */
interface OptionProblem {
  readonly kind: "unknown" | "ambiguous" | "malformed" | "runtime";
  /** The argument as written. */
  readonly spelled: string;
  readonly detail: string;
  /** For an ambiguous prefix: the long options it could mean (`--force`, `--force-with-lease`). */
  readonly candidates?: readonly string[];
}

/** An argument vector split into options and operands. */
export interface ParsedArgs {
  readonly options: readonly ParsedOption[];
  /** Operands in order (after `--` too). */
  readonly operands: readonly Arg[];
  readonly problems: readonly OptionProblem[];
}

/** A glob the shell could expand to a word starting with `-` (a file named `--x=y`). */
function mayExpandToOption(v: WordValue): boolean {
  return v.kind === "glob" && /^[*?[{@!+]/.test(v.value);
}

function attached(v: WordValue, rest: string): WordValue {
  return { ...v, value: rest, tilde: false, home: false };
}

/**
 * Split `args` into options and operands the way GNU getopt_long (or git's parse-options) reads
 * them: options may follow operands, `--` ends options, short options bundle (`-fu`), a short
 * option's value may be attached (`-tDIR`) or the next argument, a long option's value follows `=`
 * or (when required) is the next argument, and long names may be abbreviated to any unambiguous
 * prefix. An argument built at run time where an option may stand is a problem of kind `runtime`.
 */
export function parseArgs(table: OptionTable, args: readonly Arg[]): ParsedArgs {
  const options: ParsedOption[] = [];
  const operands: Arg[] = [];
  const problems: OptionProblem[] = [];
  let end = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.v.value;
    if (end) {
      operands.push(a);
      continue;
    }
    if (a.v.kind === "dynamic" || mayExpandToOption(a.v)) {
      problems.push({
        kind: "runtime",
        spelled: a.text,
        detail: "is built at run time and could spell any option",
      });
      operands.push(a);
      continue;
    }
    if (v === "--" || (table.style === "git" && v === "--end-of-options")) {
      end = true;
      continue;
    }
    if (!v.startsWith("-") || v === "-") {
      operands.push(a);
      continue;
    }
    const next = (): WordValue | undefined => {
      const n = args[i + 1];
      if (n === undefined) return undefined;
      i++;
      if (n.v.kind === "dynamic")
        problems.push({ kind: "runtime", spelled: n.text, detail: "is an option value built at run time" });
      return n.v;
    };
    if (v.startsWith("--")) {
      const eq = v.indexOf("=");
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq);
      const match = resolveLong(table, name);
      if (match.kind === "unknown") {
        problems.push({ kind: "unknown", spelled: v, detail: `\`--${name}\` is not a known option` });
        continue;
      }
      if (match.kind === "ambiguous") {
        problems.push({
          kind: "ambiguous",
          spelled: v,
          detail: `\`--${name}\` is ambiguous (${match.candidates.join(", ")})`,
          candidates: match.candidates,
        });
        continue;
      }
      const negated = table.negated.has(match.name);
      const arity: Arity = negated ? "none" : (match.spec.arity.get(`--${match.name}`) ?? "none");
      let value: WordValue | undefined;
      if (eq !== -1) {
        if (arity === "none") {
          problems.push({ kind: "malformed", spelled: v, detail: `\`--${match.name}\` takes no value` });
          continue;
        }
        value = attached(a.v, v.slice(eq + 1));
      } else if (arity === "required") {
        value = next();
        if (value === undefined) {
          problems.push({ kind: "malformed", spelled: v, detail: `\`--${match.name}\` needs a value` });
          continue;
        }
      }
      options.push({ spec: match.spec, spelled: v, name: `--${match.name}`, negated, value });
      continue;
    }
    for (let j = 1; j < v.length; j++) {
      const c = v[j] as string;
      const spec = table.short.get(c);
      if (!spec) {
        problems.push({ kind: "unknown", spelled: v, detail: `\`-${c}\` is not a known option` });
        break;
      }
      const arity = spec.arity.get(`-${c}`) ?? "none";
      const rest = v.slice(j + 1);
      if (arity === "none") {
        options.push({ spec, spelled: v, name: `-${c}`, negated: false, value: undefined });
        continue;
      }
      let value: WordValue | undefined = rest === "" ? undefined : attached(a.v, rest);
      if (value === undefined && arity === "required") {
        value = next();
        if (value === undefined) {
          problems.push({ kind: "malformed", spelled: v, detail: `\`-${c}\` needs a value` });
          break;
        }
      }
      options.push({ spec, spelled: v, name: `-${c}`, negated: false, value });
      break;
    }
  }
  return { options, operands, problems };
}
