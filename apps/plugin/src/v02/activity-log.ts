import type { PluginInput } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";
import { Activity, type ActivityEntry } from "../activity.js";

/** Where {@link LoggedActivity} copies each line. */
export interface ActivitySinks {
  /** `ui.debug`: each line at `debug` level in OpenCode's app log (shown with `--log-level DEBUG`). */
  readonly debug?: (message: string) => void;
  /** `ui.logToConsole`: each line on the process's stderr. */
  readonly console?: (message: string) => void;
}

/** The prefix of each activity line the plugin prints to stderr. */
export const CONSOLE_PREFIX = "[open-orchestra]";

/** The sinks `ui.debug` and `ui.logToConsole` turn on. */
export function activitySinks(
  ui: Pick<OrchestratorConfig["ui"], "debug" | "logToConsole">,
  client: PluginInput["client"],
  stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): ActivitySinks {
  return {
    ...(ui.debug
      ? {
          debug: (message: string) =>
            void client.app
              .log({ body: { service: "open-orchestra", level: "debug", message } })
              .catch(() => undefined),
        }
      : {}),
    ...(ui.logToConsole ? { console: (message: string) => stderr(`${CONSOLE_PREFIX} ${message}`) } : {}),
  };
}

/**
 * The orchestrator's activity log (spawns, asks, deaths, enforcement denials, memory, …), also
 * copied to the sinks `ui.debug` and `ui.logToConsole` turned on.
 */
export class LoggedActivity extends Activity {
  readonly #sinks: ActivitySinks;

  constructor(sinks: ActivitySinks, limit?: number) {
    super(limit);
    this.#sinks = sinks;
  }

  override log(kind: ActivityEntry["kind"], message: string): void {
    super.log(kind, message);
    const line = `${kind}: ${message}`;
    this.#sinks.debug?.(line);
    this.#sinks.console?.(line);
  }
}
