import type { ModelFallback } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { Activity } from "./activity.js";
import { reportModelFallbacks, withFallbackNotes } from "./model-fallback.js";
import type { Toast } from "./v02/toasts.js";

const fallback: ModelFallback = {
  workerId: "coder",
  profile: "coder",
  from: "scripted/a",
  to: "scripted/b",
  reason: "rate limit reached (after 1 retry)",
};

/** A stand-in for the orchestra's event source: the one event this module listens to. */
function events() {
  const listeners: ((f: ModelFallback) => void)[] = [];
  return {
    on: ((event: string, listener: (f: ModelFallback) => void) => {
      if (event === "model:fallback") listeners.push(listener);
    }) as never,
    emit: (f: ModelFallback) => {
      for (const l of listeners) l(f);
    },
  };
}

describe("reportModelFallbacks", () => {
  it("logs a warn line and shows a warning toast naming the worker, both models and the error", () => {
    const source = events();
    const activity = new Activity();
    const toasts: Toast[] = [];
    reportModelFallbacks(source, { activity, toasts: true, show: (t) => toasts.push(t) });
    source.emit(fallback);
    const line = "coder fell back from scripted/a to scripted/b: rate limit reached (after 1 retry)";
    expect(activity.recent(10).map((e) => [e.kind, e.message])).toEqual([["warn", line]]);
    expect(toasts).toEqual([{ title: "Open Orchestra", message: line, variant: "warning" }]);
  });

  it("shows no toast when ui.toasts is off (the log line stays)", () => {
    const source = events();
    const activity = new Activity();
    const toasts: Toast[] = [];
    reportModelFallbacks(source, { activity, toasts: false, show: (t) => toasts.push(t) });
    source.emit(fallback);
    expect(toasts).toEqual([]);
    expect(activity.recent(10)).toHaveLength(1);
  });
});

describe("withFallbackNotes", () => {
  it("puts one line per fallback before the answer, and leaves an answer without fallbacks alone", () => {
    expect(withFallbackNotes("done", [fallback])).toBe(
      "(coder fell back from scripted/a to scripted/b: rate limit reached (after 1 retry))\ndone",
    );
    expect(withFallbackNotes("done", undefined)).toBe("done");
  });
});
