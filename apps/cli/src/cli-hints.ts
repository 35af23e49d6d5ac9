/**
 * The CLI command for each plugin tool a runtime hint may name: the runtime's errors speak to the
 * plugin (tools) and to the CLI at once, and the CLI shows its own commands.
 */
const CLI_FOR_TOOL: Readonly<Record<string, string>> = {
  list_worker_jobs: "`orchestra jobs`",
  get_worker_job: "`orchestra jobs --all`",
  list_workers: "`orchestra workers list`",
  health_check: "`orchestra doctor`",
  spawn_worker: "`orchestra workers spawn`",
};

const TOOL = new RegExp(`(?<![\\w\`])(${Object.keys(CLI_FOR_TOOL).join("|")})(?![\\w\`])`, "g");

/**
 * A hint as the CLI prints it: plugin tool names (`list_worker_jobs`, `get_worker_job`,
 * `list_workers`, `health_check`, `spawn_worker`) become the CLI's commands, and a command named
 * twice in a row ("`orchestra jobs` or `orchestra jobs`") once.
 */
export function cliHint(hint: string): string {
  return hint.replace(TOOL, (tool) => CLI_FOR_TOOL[tool] ?? tool).replace(/(`[^`]+`) or \1/g, "$1");
}
