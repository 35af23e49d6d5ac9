import { existing } from "./arg-parsers.js";

/** Where a command reads the config and the profiles from: `--config` and `--project`. */
export interface ProjectOptions {
  /** Read only this config file (JSONC) instead of the global and project `orchestrator.json` files. */
  config?: string;
  /** The project directory (default: the current directory). */
  project?: string;
}

/** The `--project <dir>` option: the directory must exist (as for `orchestra config validate`). */
export const PROJECT_OPTION = [
  "--project <dir>",
  "project directory: its orchestrator.json files and its .opencode/agent(s) and .opencode/skill(s) profiles (default: the current directory)",
  existing("directory"),
] as const;

/** The `--config <file>` option: the file must exist. */
export const CONFIG_OPTION = [
  "--config <file>",
  "read only this config file (JSON or JSONC) instead of the global and project orchestrator.json files",
  existing("file"),
] as const;
