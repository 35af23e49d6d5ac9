import type { JobRecord } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { formatDuration, jobsTable } from "./jobs-table.js";

const base: JobRecord = {
  id: "job-0000000a",
  worker: "coder",
  profile: "coder",
  status: "running",
  message: "m",
  owner: { kind: "cli", pid: 1, startTime: "t" },
  session: null,
  callerSession: null,
  startedAt: Date.UTC(2026, 11, 4, 16, 0, 0),
  endedAt: null,
  tool: "bash",
  tokens: null,
  cost: null,
  costSource: null,
  model: null,
  parentJobId: null,
  text: null,
  textChars: null,
  errorCode: null,
  error: null,
};

describe("the orchestra jobs table", () => {
  it("formats durations from tenths of a second to hours", () => {
    expect(formatDuration(1_234)).toBe("1.2 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(184_000)).toBe("3 min 4 s");
    expect(formatDuration(7_500_000)).toBe("2 h 5 min");
  });

  it("shows a running job's tool and duration, `-` for unknown tokens and cost, and why a job failed", () => {
    const failed: JobRecord = {
      ...base,
      id: "job-0000000b",
      status: "failed",
      tool: null,
      endedAt: base.startedAt + 2_000,
      tokens: { input: 120, output: 30, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      cost: 0.0012,
      errorCode: "WORKER_ASK_FAILED",
      error: 'worker "coder" did not answer: timed out',
    };
    const lines = jobsTable([base, failed], base.startedAt + 5_000).split("\n");
    const cells = (line: string | undefined) => (line ?? "").split(/\s{2,}/);
    expect(cells(lines[0])).toEqual([
      "id",
      "worker",
      "profile",
      "status",
      "started",
      "duration",
      "tool",
      "tokens in/out",
      "cost",
    ]);
    expect(cells(lines[1])).toEqual([
      "job-0000000a",
      "coder",
      "coder",
      "running",
      "2026-12-04 16:00:00",
      "5.0 s",
      "bash",
      "-",
      "-",
    ]);
    expect(cells(lines[2]).slice(3)).toEqual([
      "failed",
      "2026-12-04 16:00:00",
      "2.0 s",
      "-",
      "120/30",
      "$0.001200",
    ]);
    expect(lines.at(-1)).toBe('job-0000000b: WORKER_ASK_FAILED: worker "coder" did not answer: timed out');
  });

  it("says how to make a job when there is none", () => {
    expect(jobsTable([], 0)).toMatch(/^No jobs yet\. Every ask of a worker is one/);
  });
});
