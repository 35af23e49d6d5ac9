import { EventEmitter } from "node:events";
import type { Orchestra, WorkerInfo } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { type Toast, workerToasts } from "./toasts.js";

const info = { id: "coder", profile: "coder", model: "scripted/fake-fast" } as WorkerInfo;

function emitter(): { orchestra: Pick<Orchestra, "on">; emit: (event: string, ...args: unknown[]) => void } {
  const events = new EventEmitter();
  return {
    orchestra: { on: (event: string, fn: (...args: unknown[]) => void) => events.on(event, fn) } as never,
    emit: (event, ...args) => events.emit(event, ...args),
  };
}

describe("workerToasts", () => {
  it("toasts spawned, died and recovered workers", () => {
    const { orchestra, emit } = emitter();
    const shown: Toast[] = [];
    workerToasts(orchestra, true, (t) => shown.push(t));
    emit("worker:ready", info);
    emit("worker:dead", info, "process exited");
    emit("health:recovered", "coder");
    emit("warm:degraded", "docs", new Error("no model"));
    expect(shown.map((t) => [t.variant, t.message])).toEqual([
      ["success", "Worker coder spawned (coder, scripted/fake-fast)"],
      ["error", "Worker coder died: process exited"],
      ["success", "Worker coder recovered"],
      ["warning", "Warm pool docs degraded: no model"],
    ]);
  });

  it("shows nothing when toasts are off", () => {
    const { orchestra, emit } = emitter();
    const shown: Toast[] = [];
    workerToasts(orchestra, false, (t) => shown.push(t));
    emit("worker:ready", info);
    expect(shown).toEqual([]);
  });
});
