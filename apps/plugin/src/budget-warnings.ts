import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "./activity.js";
import { type Toast, workerToast } from "./v02/toasts.js";

/**
 * Every budget warning of the orchestra (`budget:warning`): a job reached its profile budget's
 * warning fraction (`budgets.<profile>.warnAt`), or a worker started with a dollar budget over a
 * model with unknown prices. Each is a `warn` line in the activity log (`orchestrator_output`) and,
 * with `ui.toasts`, a warning toast. The ask's tool output carries the note too.
 */
export function reportBudgetWarnings(
  orchestra: Pick<Orchestra, "on">,
  options: { activity: Pick<Activity, "log">; toasts: boolean; show: (toast: Toast) => void },
): void {
  orchestra.on("budget:warning", (warning) => {
    options.activity.log("warn", warning.message);
    if (options.toasts) options.show(workerToast("warning", warning.message));
  });
}
