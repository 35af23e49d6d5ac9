import type { ModelConfigIssue } from "@orchestra/resolver";
import type { Orchestra } from "@orchestra/runtime";
import { formatModelConfigIssue } from "../tools/models.js";
import { type Toast, workerToast } from "./toasts.js";

/**
 * `ui.toasts`, fallbacks: when a worker starts on a fallback model (its profile's first choices
 * failed to resolve), a warning toast naming the model and why the earlier references failed.
 */
export function fallbackToasts(
  orchestra: Pick<Orchestra, "on" | "resolveModel">,
  enabled: boolean,
  show: (toast: Toast) => void,
): void {
  if (!enabled) return;
  orchestra.on("worker:ready", (info) => {
    void orchestra.resolveModel(info.profile).then(
      (resolution) => {
        if (resolution.provenance !== "fallback" || resolution.model !== info.model) return;
        const failed = resolution.attempts.map((a) => `${a.ref}: ${a.message}`).join("; ");
        show(workerToast("warning", `Worker ${info.id} runs on fallback model ${info.model} (${failed})`));
      },
      () => undefined,
    );
  });
}

/**
 * `ui.toasts`, config problems: one error toast when the model config has errors (unknown models,
 * aliases or providers), naming the first and how many more; `orchestrator_status` lists them all.
 */
export async function configProblemToast(
  issues: Promise<readonly ModelConfigIssue[]>,
  enabled: boolean,
  show: (toast: Toast) => void,
): Promise<void> {
  if (!enabled) return;
  const errors = (await issues.catch(() => [])).filter((i) => i.severity === "error");
  const [first] = errors;
  if (first === undefined) return;
  const rest =
    errors.length > 1
      ? `And ${errors.length - 1} more: orchestrator_status lists them.`
      : "orchestrator_status shows it.";
  show(workerToast("error", `Config problem: ${formatModelConfigIssue(first)} ${rest}`));
}
