import { deny } from "../../decision.js";
import type { ShellAnalyzer, ShellEnv } from "../analyzer.js";
import { deniedOptionIn } from "../flags.js";
import type { ShellState } from "../state.js";
import type { ParsedArgs, ParsedOption } from "./getopt.js";
import type { OptionTable } from "./table.js";

/**
 * True below full trust: any category below `full`, or an `allowedCommands` list. There the
 * checker is the boundary for what a program does, so an option missing from a program's table is
 * denied; under full trust (`filesystem`, `execution` and `network` all `full`, no list) the worker
 * runs as the user and an unknown option is left to the program, which rejects it itself.
 */
export function isRestricted(env: ShellEnv): boolean {
  const p = env.policy;
  return (
    p.filesystem !== "full" ||
    p.execution !== "full" ||
    p.network !== "full" ||
    env.allowedCommands !== undefined
  );
}

/** How a program refines the table's generic effects. */
export interface ApplyHooks {
  /** The program checks this option's path itself (e.g. relative to `tar -C`). */
  readonly ownPath?: (o: ParsedOption) => boolean;
  /** Whether a `runs` option runs something with this value (`--checkpoint-action=dot` does not). */
  readonly runs?: (o: ParsedOption) => boolean;
  /** Whether a `writes` option writes a file in this command (`tar -c -f -` writes to stdout only). */
  readonly writes?: (o: ParsedOption) => boolean;
}

/**
 * Apply a program's option table: arguments that cannot be read as known options, denied flags in
 * any alias, options that run programs or escape the named paths, writing options, and the paths
 * option values name.
 */
export function applyTable(
  an: ShellAnalyzer,
  table: OptionTable,
  parsed: ParsedArgs,
  s: ShellState,
  hooks: ApplyHooks = {},
): void {
  const restricted = isRestricted(an.env);
  const denied = an.env.deniedFlags;
  for (const p of parsed.problems) {
    for (const c of p.candidates ?? []) {
      const names = table.long.get(c.slice(2))?.names ?? [c];
      const hit = deniedOptionIn(names, denied);
      if (hit !== undefined) {
        deny(
          "shell.denied-flag",
          `\`${p.spelled}\` passed to \`${table.program}\` could be read as \`${c}\`, the denied flag \`${hit}\`.`,
          `\`${table.program}\` without ${names.map((n) => `\`${n}\``).join(" or ")} in any spelling`,
        );
      }
    }
    if (p.kind === "runtime") {
      deny(
        "shell.runtime-arg",
        `\`${p.spelled}\` (an argument of \`${table.program}\`) ${p.detail}, so what it does cannot be checked.`,
        "literal arguments; start a glob with `./` (`./*`) so it cannot expand to an option",
      );
    }
    if (restricted) {
      deny(
        "shell.unknown-option",
        `\`${p.spelled}\` is not a known option of \`${table.program}\`: ${p.detail} (option table from ${table.source}).`,
        `the documented options of \`${table.program}\`, spelled in full`,
      );
    }
  }
  for (const o of parsed.options) {
    if (o.negated) continue;
    const hit = denied.length > 0 ? deniedOptionIn(o.spec.names, denied) : undefined;
    if (hit !== undefined) {
      deny(
        "shell.denied-flag",
        `\`${o.spelled}\` passed to \`${table.program}\` is \`${o.spec.names.join("`/`")}\`, the denied flag \`${hit}\`.`,
        `\`${table.program}\` without ${o.spec.names.map((n) => `\`${n}\``).join(" or ")} in any spelling`,
      );
    }
    if (o.spec.runs && (hooks.runs?.(o) ?? true)) {
      deny(
        "shell.inline-code",
        `\`${table.program} ${o.spelled}${o.value && !o.spelled.includes(o.value.value) ? ` ${o.value.value}` : ""}\` makes \`${table.program}\` run a program.`,
        `\`${table.program}\` without ${o.name}; run the other program as its own command`,
      );
    }
    if (o.spec.escapes && restricted) {
      deny(
        "paths.unresolvable",
        `\`${table.program} ${o.spelled}\` makes \`${table.program}\` touch paths the command line does not name, so they cannot be checked.`,
        `\`${table.program}\` without ${o.name}, naming every path on the command line`,
      );
    }
    if (o.spec.writes && an.env.policy.filesystem !== "full" && (hooks.writes?.(o) ?? true)) {
      deny(
        "filesystem.read-only",
        `\`${table.program} ${o.spelled}\` writes files.`,
        `\`${table.program}\` without ${o.name} (\`filesystem: read\` allows no write)`,
      );
    }
    if (o.spec.path && o.value && !(hooks.ownPath?.(o) ?? false)) {
      an.touch(o.value, o.spec.path, s, `The value of \`${table.program} ${o.name}\``);
    }
  }
}
