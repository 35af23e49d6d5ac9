import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import type { ConfigError, LoadConfigOptions } from "@orchestra/config";
import { tuiToaster, workerToast } from "../v02/toasts.js";
import { errorCount, findConfigProblems, NEXT_STEPS, problemLines } from "./config-problems.js";
import { degradedHeadline, degradedTools } from "./degraded-tools.js";

/** The toast: the code, the first error with its file and path, how many more, what to do. */
function toastMessage(problems: ConfigError): string {
  const [first = ""] = problemLines(problems);
  const more =
    problems.issues.length > 1
      ? ` (and ${problems.issues.length - 1} more: orchestrator_status lists them)`
      : "";
  return `Disabled: ${errorCount(problems)} [${problems.code}]: ${first}${more}. Fix the config, run \`orchestra config validate\`, restart OpenCode.`;
}

/** The log line: everything, one error per line. */
function logMessage(problems: ConfigError): string {
  return [
    `[${problems.code}] ${degradedHeadline(problems)}`,
    ...problemLines(problems).map((line) => `  ${line}`),
    ...NEXT_STEPS.map((step) => `  hint: ${step}`),
  ].join("\n");
}

/**
 * The plugin's hooks when its config is invalid (degraded mode): every orchestra tool (see
 * {@link degradedTools}), an `error` line in OpenCode's app log, and an error toast in the TUI at
 * start and again when the user opens a new session (a toast sent while no TUI listens is lost).
 * The toast is always shown: `ui.toasts` would come from the invalid config, and none of it is read.
 * Nothing else: no orchestrator, no workers, no warm pool, no agent or commands, no hook acting on
 * the config's values. (A process worker never gets here: its own mode denies every call instead.)
 */
function degradedHooks(client: PluginInput["client"], problems: ConfigError): Hooks {
  const toast = tuiToaster(client);
  const warn = () => toast(workerToast("error", toastMessage(problems)));
  void client.app
    .log({ body: { service: "open-orchestra", level: "error", message: logMessage(problems) } })
    .catch(() => undefined);
  warn();
  return {
    tool: degradedTools(problems),
    event: async ({ event }) => {
      if (event.type === "session.created" && !event.properties.info.parentID) warn();
    },
  };
}

/**
 * Start the plugin, or its degraded mode when a config file is invalid. The config is checked
 * before `start` runs, so nothing of an invalid config is ever built (`start` loads it again).
 */
export async function startOrDegrade(
  input: PluginInput,
  start: (input: PluginInput) => Promise<Hooks>,
  options: Omit<LoadConfigOptions, "projectDir" | "file"> = {},
): Promise<Hooks> {
  const problems = await findConfigProblems({ ...options, projectDir: input.directory });
  if (problems === undefined) return start(input);
  return degradedHooks(input.client, problems);
}
