import type { PluginInput } from "@opencode-ai/plugin";
import type { Orchestra } from "@orchestra/runtime";

/** One TUI toast. */
export interface Toast {
  readonly title: string;
  readonly message: string;
  readonly variant: "info" | "success" | "warning" | "error";
}

/** The toast title of every orchestra event. */
const TOAST_TITLE = "Open Orchestra";

/** A toast titled "Open Orchestra". */
export function workerToast(variant: Toast["variant"], message: string): Toast {
  return { title: TOAST_TITLE, message, variant };
}

/** Shows a toast in OpenCode's TUI (`POST /tui/show-toast`); never throws. */
export function tuiToaster(client: PluginInput["client"]): (toast: Toast) => void {
  return (toast) =>
    void client.tui
      .showToast({ body: { title: toast.title, message: toast.message, variant: toast.variant } })
      .catch(() => undefined);
}

/**
 * `ui.toasts`: a toast when a worker is spawned, dies or recovers, when a warm pool degrades or
 * recovers, and when a dead worker's respawn is refused. Nothing when `enabled` is false.
 */
export function workerToasts(
  orchestra: Pick<Orchestra, "on">,
  enabled: boolean,
  show: (toast: Toast) => void,
): void {
  if (!enabled) return;
  const toast = (variant: Toast["variant"], message: string) =>
    show({ title: TOAST_TITLE, message, variant });
  orchestra.on("worker:ready", (info) =>
    toast("success", `Worker ${info.id} spawned (${info.profile}, ${info.model})`),
  );
  orchestra.on("worker:dead", (info, reason) => toast("error", `Worker ${info.id} died: ${reason}`));
  orchestra.on("respawn", (profile, dead) => toast("info", `Respawning ${profile} (worker ${dead} died)`));
  orchestra.on("respawn:refused", (profile, reason) =>
    toast("warning", `Worker ${profile} not respawned: ${reason}`),
  );
  orchestra.on("health:recovered", (id) => toast("success", `Worker ${id} recovered`));
  orchestra.on("warm:degraded", (profile, cause) =>
    toast(
      "warning",
      `Warm pool ${profile} degraded: ${cause instanceof Error ? cause.message : String(cause)}`,
    ),
  );
  orchestra.on("warm:recovered", (profile) => toast("success", `Warm pool ${profile} recovered`));
}
