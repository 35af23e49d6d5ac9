import { deny } from "../decision.js";
import type { ShellAnalyzer } from "./analyzer.js";
import type { Arg } from "./arg.js";
import {
  ALWAYS_LISTED,
  COMMANDS,
  INLINE_RUNNERS,
  NETWORK_COMMANDS,
  NEVER_ALLOWED,
  OPAQUE_WRAPPERS,
} from "./commands.js";
import { HANDLERS } from "./handlers/table.js";
import { checkDeniedFlags, UNKNOWN } from "./operands.js";
import { analyzeByTable } from "./options/programs.js";
import { checkRecursiveReads } from "./recursive-reads.js";
import { assertDepth, type ShellState } from "./state.js";
import { CONTROL } from "./walker.js";

/**
 * The command dispatcher: the checks every simple command gets (name, allowlist, denied flags,
 * recursive reads), then its handler from the table, its option table, or the generic operand rules.
 */
export function runCommand(an: ShellAnalyzer, name: string, args: readonly Arg[], s: ShellState): void {
  assertDepth(s);
  if (CONTROL.test(name) || name === "")
    deny(
      "shell.dynamic-command",
      "The command name is empty or contains control characters.",
      "a literal command name",
    );
  if (name.includes("/")) {
    deny(
      "shell.command-path",
      `The command \`${name}\` is given by path.`,
      "the bare command name (found on PATH), or an npm script",
    );
  }
  if (NEVER_ALLOWED.has(name)) {
    deny(
      "shell.never-allowed",
      `\`${name}\` is never allowed for a worker.`,
      "run the intended command directly, without privilege, eval or sourcing",
    );
  }
  const list = an.env.allowedCommands;
  if (list && !ALWAYS_LISTED.has(name) && !list.includes(name)) {
    deny(
      "shell.not-allowed-command",
      `\`${name}\` is not in the shell tool's allowedCommands.`,
      list.length > 0 ? list.map((c) => `\`${c}\``).join(", ") : "no command (the list is empty)",
    );
  }
  checkDeniedFlags(an.env, name, args);
  if (INLINE_RUNNERS.has(name)) {
    deny(
      "shell.inline-code",
      `\`${name}\` runs a package resolved at run time (inline code).`,
      "an npm script from package.json (`npm run <script>`)",
    );
  }
  checkRecursiveReads(an, name, args, s);
  // The handlers' names are disjoint from OPAQUE_WRAPPERS and NETWORK_COMMANDS (handlers.test.ts).
  const handler = HANDLERS.get(name);
  if (handler) {
    handler(an, name, args, s);
    return;
  }
  if (OPAQUE_WRAPPERS.has(name)) {
    deny(
      "shell.wrapper-denied",
      `\`${name}\` runs other commands in a way that cannot be checked (arguments built at run time, or code it reads itself).`,
      "run the inner command directly; list files explicitly or use `grep -r`/`find` without -exec",
    );
  }
  if (NETWORK_COMMANDS.has(name)) {
    const level = an.env.policy.network;
    if (level === "none")
      deny("network.none", `\`${name}\` uses the network.`, "commands without network access");
    if (level === "localhost") {
      deny(
        "network.not-localhost",
        `The target of \`${name}\` cannot be proven local.`,
        "`curl`/`wget` with an `http://localhost…`, `127.x.y.z` or `[::1]` URL",
      );
    }
  }
  if (analyzeByTable(an, name, args, s)) return;
  an.generic(name, (Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined) ?? UNKNOWN, args, s);
}
