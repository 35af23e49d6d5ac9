import type { CommandHandler } from "../analyzer.js";
import { INTERPRETERS, SHELLS } from "../commands.js";
import { changeDirectory } from "../state.js";
import { analyzeNameBuiltin, NAME_BUILTIN_NAMES } from "./builtins.js";
import { analyzeFetch } from "./fetch.js";
import { analyzeFind } from "./find.js";
import { analyzeGit } from "./git.js";
import { analyzePackageManager } from "./package-manager.js";
import { analyzeInterpreter, analyzeShell } from "./shells.js";
import { analyzeWrapper, WRAPPERS } from "./wrappers.js";

/**
 * The command handlers, by command name: one file per command family. A command named here is
 * checked by its handler alone, after the checks every command gets (`run.ts`). Option-table
 * programs (`sed`, `tar`, `cp`…) have their own table, `options/programs.ts`; every other command
 * gets the generic operand rules of its `CommandSpec`. The builtins that take variable names
 * (`printf -v`, `wait -p`, `read`, `unset`) check those names, `builtins.ts`.
 */
export const HANDLERS: ReadonlyMap<string, CommandHandler> = new Map<string, CommandHandler>([
  ["cd", (an, _name, args, s) => changeDirectory(an.env.paths, args, s)],
  ...WRAPPERS.map((w): [string, CommandHandler] => [w, analyzeWrapper]),
  ["git", (an, _name, args, s) => analyzeGit(an, args, s)],
  ...["npm", "pnpm", "yarn", "bun"].map((pm): [string, CommandHandler] => [pm, analyzePackageManager]),
  ["curl", analyzeFetch],
  ["wget", analyzeFetch],
  ["find", (an, _name, args, s) => analyzeFind(an, args, s)],
  ...[...SHELLS].map((sh): [string, CommandHandler] => [sh, analyzeShell]),
  ...Object.keys(INTERPRETERS).map((i): [string, CommandHandler] => [i, analyzeInterpreter]),
  ...NAME_BUILTIN_NAMES.map((b): [string, CommandHandler] => [b, analyzeNameBuiltin]),
]);
