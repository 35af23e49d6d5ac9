#!/usr/bin/env node
// Print a draft option table for `src/shell/options/` from a program's own help text: GNU
// `<prog> --help` (getopt_long style) or `git <sub> -h` (git's parse-options usage).
// The draft lists every spelling and whether it takes a value; a person then adds the effects
// (`read`, `write`, `writes`, `runs`) from the man page, and records the source and version.
// Usage: node packages/permissions/scripts/option-table-draft.mjs sort
//        node packages/permissions/scripts/option-table-draft.mjs git commit
import { spawnSync } from "node:child_process";

const argv = process.argv.slice(2);
if (argv.length === 0) {
  process.stderr.write("usage: option-table-draft.mjs <program> | git <subcommand>\n");
  process.exit(2);
}
const git = argv[0] === "git";
const help = spawnSync(argv[0], git ? [...argv.slice(1), "-h"] : [...argv.slice(1), "--help"], {
  encoding: "utf8",
});
const text = `${help.stdout}${help.stderr}`;
const version = spawnSync(argv[0], ["--version"], { encoding: "utf8" }).stdout.split("\n")[0];

/** One help line's option spellings, e.g. `  -o, --output=FILE  write…` or `  -e script, --expression=script`. */
const LINE = /^\s{1,8}(-[^\s,]+(?:[ =[][^\s,]*)?(?:,\s+-[^\s,]+(?:[ =[][^\s,]*)?)*)/;
const rows = [];
for (const line of text.split("\n")) {
  const m = LINE.exec(line);
  if (!m) continue;
  const names = [];
  let value = "";
  for (const part of (m[1] ?? "").split(/,\s+/)) {
    const spelled = /^(-{1,2}(?:\[no-\])?[A-Za-z0-9?][\w-]*)(.*)$/.exec(part.trim());
    if (!spelled) continue;
    const name = (spelled[1] ?? "").replace("[no-]", "");
    const rest = (spelled[2] ?? "").trim();
    if (rest.startsWith("[")) value = "[=V]";
    else if (rest !== "" && value === "") value = "=V";
    names.push(name);
  }
  if (names.length > 0) rows.push(`  "${names.join(" ")}": "${value}",`);
}
process.stdout.write(
  `// Source: \`${argv.join(" ")} ${git ? "-h" : "--help"}\` (${version}).\n{\n${rows.join("\n")}\n}\n`,
);
