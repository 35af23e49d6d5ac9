import { EventEmitter } from "node:events";
import type { ModelConfigIssue, Resolution } from "@orchestra/resolver";
import type { Orchestra, WorkerInfo } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { configProblemToast, fallbackToasts } from "./problem-toasts.js";
import type { Toast } from "./toasts.js";

const issue = (severity: ModelConfigIssue["severity"], path: string): ModelConfigIssue => ({
  path,
  code: "RESOLVER_UNKNOWN_MODEL",
  severity,
  message: `bad model at ${path}.`,
});

describe("configProblemToast", () => {
  it("toasts the first error and how many more; warnings alone toast nothing", async () => {
    const shown: Toast[] = [];
    await configProblemToast(
      Promise.resolve([issue("warning", "w"), issue("error", "a"), issue("error", "b")]),
      true,
      (t) => shown.push(t),
    );
    await configProblemToast(Promise.resolve([issue("warning", "w")]), true, (t) => shown.push(t));
    expect(shown).toEqual([
      {
        title: "Open Orchestra",
        variant: "error",
        message:
          "Config problem: error at a: [RESOLVER_UNKNOWN_MODEL] bad model at a. And 1 more: orchestrator_status lists them.",
      },
    ]);
  });

  it("shows nothing when toasts are off", async () => {
    const shown: Toast[] = [];
    await configProblemToast(Promise.resolve([issue("error", "a")]), false, (t) => shown.push(t));
    expect(shown).toEqual([]);
  });
});

describe("fallbackToasts", () => {
  it("warns when a ready worker runs on its profile's fallback model", async () => {
    const events = new EventEmitter();
    const resolution = {
      model: "p/fallback",
      provenance: "fallback",
      attempts: [{ ref: "p/first", code: "RESOLVER_UNKNOWN_MODEL", message: "no such model" }],
    } as unknown as Resolution;
    const orchestra = {
      on: (event: string, fn: (...args: unknown[]) => void) => events.on(event, fn),
      resolveModel: async () => resolution,
    } as unknown as Pick<Orchestra, "on" | "resolveModel">;
    const shown: Toast[] = [];
    fallbackToasts(orchestra, true, (t) => shown.push(t));
    events.emit("worker:ready", { id: "w", profile: "w", model: "p/fallback" } as WorkerInfo);
    events.emit("worker:ready", { id: "v", profile: "v", model: "p/other" } as WorkerInfo);
    await new Promise((resolve) => setImmediate(resolve));
    expect(shown.map((t) => [t.variant, t.message])).toEqual([
      ["warning", "Worker w runs on fallback model p/fallback (p/first: no such model)"],
    ]);
  });
});
