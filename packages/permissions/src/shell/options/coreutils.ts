import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";
import { applyTable } from "./apply.js";
import { parseArgs } from "./getopt.js";
import { optionTable } from "./table.js";

/** Source: `cp --help` and cp(1), GNU coreutils 9.1. */
const CP = optionTable("cp", "GNU coreutils 9.1, `cp --help` and cp(1)", "gnu", {
  "-a --archive": "",
  "--attributes-only": "",
  "--backup": "[=CONTROL]",
  "-b": "",
  "--copy-contents": "",
  "-d": "",
  "-f --force": "",
  "-i --interactive": "",
  "-H": "",
  "-l --link": "",
  "-L --dereference": "",
  "-n --no-clobber": "",
  "-P --no-dereference": "",
  "-p": "",
  "--preserve": "[=ATTR_LIST]",
  "--no-preserve": "=ATTR_LIST",
  "--parents": "",
  "-R -r --recursive": "",
  "--reflink": "[=WHEN]",
  "--remove-destination": "",
  "--sparse": "=WHEN",
  "--strip-trailing-slashes": "",
  "-s --symbolic-link": "",
  "-S --suffix": "=SUFFIX",
  "-t --target-directory": "=DIRECTORY write",
  "-T --no-target-directory": "",
  "-u --update": "",
  "-v --verbose": "",
  "-x --one-file-system": "",
  "-Z! --context": "[=CTX]",
  "--help": "",
  "--version": "",
});

/** Source: `mv --help` and mv(1), GNU coreutils 9.1. */
const MV = optionTable("mv", "GNU coreutils 9.1, `mv --help` and mv(1)", "gnu", {
  "--backup": "[=CONTROL]",
  "-b": "",
  "-f --force": "",
  "-i --interactive": "",
  "-n --no-clobber": "",
  "--strip-trailing-slashes": "",
  "-S --suffix": "=SUFFIX",
  "-t --target-directory": "=DIRECTORY write",
  "-T --no-target-directory": "",
  "-u --update": "",
  "-v --verbose": "",
  "-Z --context": "",
  "--help": "",
  "--version": "",
});

/**
 * Check `cp`/`mv`: `-t DIR` (in any spelling: `-tDIR`, `--target-directory=DIR`, `--target`) is
 * written; without it the last operand is the destination. `cp` reads its sources; `mv` removes
 * them, so they count as writes.
 */
export function analyzeCopy(an: ShellAnalyzer, name: "cp" | "mv", args: readonly Arg[], s: ShellState): void {
  const table = name === "cp" ? CP : MV;
  const parsed = parseArgs(table, args);
  applyTable(an, table, parsed, s);
  const target = parsed.options.some((o) => o.spec.names.includes("--target-directory"));
  const ops = parsed.operands;
  ops.forEach((a, i) => {
    const destination = !target && i === ops.length - 1 && ops.length > 1;
    const access = destination || name === "mv" ? "write" : "read";
    an.touch(a.v, access, s, destination ? `The destination of \`${name}\`` : `The source of \`${name}\``);
  });
}
