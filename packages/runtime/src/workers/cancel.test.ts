import { describe, expect, it } from "vitest";
import { RuntimeError } from "../runtime-error.js";
import { isAbortError, jobCancelledError, notRunningError } from "./cancel.js";
import { isFallbackFailure } from "./model-fallback.js";

describe("isAbortError", () => {
  it("is true for OpenCode's MessageAbortedError only", () => {
    expect(isAbortError({ name: "MessageAbortedError" })).toBe(true);
    expect(isAbortError({ name: "APIError" })).toBe(false);
    expect(isAbortError({ name: "ProviderAuthError" })).toBe(false);
    expect(isAbortError(undefined)).toBe(false);
  });

  it("an abort is never a reason to fall back to another model", () => {
    expect(isFallbackFailure("MessageAbortedError: Aborted")).toBe(false);
    expect(isFallbackFailure("MessageAbortedError: The operation was aborted")).toBe(false);
  });
});

describe("jobCancelledError", () => {
  it("is JOB_CANCELLED, names the worker and the job, and says the worker can be asked again", () => {
    const error = jobCancelledError("coder", "job-1");
    expect(RuntimeError.isInstance(error)).toBe(true);
    expect(error.code).toBe("JOB_CANCELLED");
    expect(error.message).toMatch(/^worker "coder" did not answer: its job job-1 was cancelled \(/);
    expect(error.hints[0]).toContain("orchestra workers ask coder");
  });

  it("without a job id says its job", () => {
    expect(jobCancelledError("docs").message).toContain(
      'worker "docs" did not answer: its job was cancelled',
    );
  });
});

describe("notRunningError", () => {
  it("is JOB_NOT_RUNNING; a steer's hint says to ask instead", () => {
    const cancel = notRunningError("docs", "cancel");
    expect(cancel.code).toBe("JOB_NOT_RUNNING");
    expect(cancel.message).toBe('worker "docs" is not working on a job: nothing to cancel');
    const steer = notRunningError("docs", "steer");
    expect(steer.message).toBe('worker "docs" is not working on a job: nothing to steer');
    expect(steer.hints[0]).toContain("orchestra workers ask docs");
  });
});
