import type { PluginInput } from "@opencode-ai/plugin";
import { takeUnsafeNoEnforcement, unsafeNoEnforcementWarning } from "./unsafe-test-mode.js";

/**
 * The unsafe test-only switch (`unsafe-test-mode.ts`), read once when the plugin loads. Both modes
 * (worker and orchestrator) read it here, so it is taken from the environment exactly once.
 */
export const NO_ENFORCEMENT = takeUnsafeNoEnforcement(process.env);

/** Log the unsafe switch's warning: to stderr, to `also`, and to OpenCode's app log. */
export function warnUnsafe(input: PluginInput, where: string, also?: (line: string) => void): void {
  const line = unsafeNoEnforcementWarning(where);
  console.warn(line);
  also?.(line);
  void input.client.app
    .log({ body: { service: "open-orchestra", level: "warn", message: line } })
    .catch(() => undefined);
}
