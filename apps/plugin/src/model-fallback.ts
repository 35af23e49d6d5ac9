import { describeFallback, type ModelFallback, type Orchestra } from "@orchestra/runtime";
import type { Activity } from "./activity.js";
import { type Toast, workerToast } from "./v02/toasts.js";

/**
 * Every model fallback of a worker's ask (its model failed and the ask moved to the next model of
 * its profile's list): a `warn` line in the activity log (`orchestrator_output`) and, with
 * `ui.toasts`, a warning toast, both `coder fell back from a/x to b/y: <provider's error>`.
 */
export function reportModelFallbacks(
  orchestra: Pick<Orchestra, "on">,
  options: { activity: Pick<Activity, "log">; toasts: boolean; show: (toast: Toast) => void },
): void {
  orchestra.on("model:fallback", (fallback) => {
    const line = describeFallback(fallback);
    options.activity.log("warn", line);
    if (options.toasts) options.show(workerToast("warning", line));
  });
}

/**
 * A tool's answer text, after one line per model the ask fell back from: `(coder fell back from …)`,
 * and before the ask's notes (a budget warning): `(budget warning: …)`.
 */
export function withFallbackNotes(
  text: string,
  fallbacks: readonly ModelFallback[] | undefined,
  notes: readonly string[] = [],
): string {
  return [
    ...(fallbacks ?? []).map((f) => `(${describeFallback(f)})`),
    text,
    ...notes.map((n) => `(${n})`),
  ].join("\n");
}
