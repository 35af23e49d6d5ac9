import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import { COMMANDS } from "../commands.js";
import type { ShellState } from "../state.js";

/**
 * bash builtins that take a variable NAME, with their option letters as bash's own
 * `internal_getopt` reads them (bash 5.2 `help printf`, `help wait`, `help read`, `help unset`):
 * letters followed by `:` take a value, and `names` are the letters whose value is a name. bash
 * evaluates the subscript of a name such as `a[$(touch x)]` as arithmetic when it assigns, unsets or
 * tests it, which runs the substitution: a name must be a plain identifier. The other builtins that
 * take names (`declare`, `export`, `local`, `readonly`, `typeset`, `let`, `getopts`, `mapfile`,
 * `readarray`) are never allowed; `test -v`/`[[ -v ]]` are `arithmetic.ts`.
 */
const NAME_BUILTINS: Readonly<Record<string, { optstring: string; names: string; operandNames: boolean }>> = {
  printf: { optstring: "v:", names: "v", operandNames: false },
  wait: { optstring: "fnp:", names: "p", operandNames: false },
  read: { optstring: "ersa:d:i:n:N:p:t:u:", names: "a", operandNames: true },
  unset: { optstring: "fnv", names: "", operandNames: true },
};

/** The builtins checked here. */
export const NAME_BUILTIN_NAMES = Object.keys(NAME_BUILTINS);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertIdentifier(name: string, a: Arg | string, shown: string): void {
  const v = typeof a === "string" ? { kind: "static", value: a } : a.v;
  if (v.kind === "static" && IDENTIFIER.test(v.value)) return;
  deny(
    "shell.unbounded",
    `\`${shown}\`: \`${name}\` takes a variable name, and bash evaluates the subscript of a name such as \`a[$(cmd)]\` as arithmetic, which runs \`cmd\`.`,
    "a plain, literal variable name (letters, digits and `_`, no `[`)",
  );
}

/**
 * Check `printf`, `wait`, `read` or `unset`: every variable name it takes (`printf -v NAME`,
 * `wait -p NAME`, `read -a NAME` and `read`'s operands, `unset`'s operands) must be a literal plain
 * identifier; an argument built at run time where an option may stand is denied too (it could spell
 * `-vNAME`). The rest follows the command's generic rule (none of them touches a file).
 */
export function analyzeNameBuiltin(
  an: ShellAnalyzer,
  name: string,
  args: readonly Arg[],
  s: ShellState,
): void {
  const spec = NAME_BUILTINS[name];
  if (!spec) return;
  const shown = `${name} ${args.map((a) => a.text).join(" ")}`.trim();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    if (a.v.kind !== "static") {
      deny(
        "shell.runtime-arg",
        `\`${a.text}\` (an argument of \`${name}\`) is built at run time where an option may stand, so it could name a variable to assign (\`-va[$(cmd)]\`).`,
        `literal options first (\`${name} -- "$x"\` ends the options)`,
      );
    }
    const v = a.v.value;
    if (v === "--") {
      i++;
      break;
    }
    if (!v.startsWith("-") || v === "-") break;
    for (let j = 1; j < v.length; j++) {
      const c = v[j] as string;
      const at = spec.optstring.indexOf(c);
      if (at === -1 || spec.optstring[at + 1] !== ":") continue;
      const attached = v.slice(j + 1);
      const value = attached !== "" ? attached : args[++i];
      if (value !== undefined && spec.names.includes(c)) assertIdentifier(name, value, shown);
      break;
    }
  }
  if (spec.operandNames) for (const a of args.slice(i)) assertIdentifier(name, a, shown);
  an.generic(name, COMMANDS[name] ?? { access: "none", readOnly: true }, args, s);
}
