import { describe, expect, it } from "vitest";
import type { JobRecord } from "../journal/job-record.js";
import { parseDuration } from "./duration.js";
import { totalsWithCaused, usageReport } from "./ledger.js";
import { formatUsageTable } from "./usage-format.js";

let n = 0;
function job(over: Partial<JobRecord>): JobRecord {
  n++;
  return {
    id: `job-${n}`,
    worker: "coder-1",
    profile: "coder",
    status: "done",
    message: "m",
    owner: { kind: "orchestrator", pid: 1, startTime: "1" },
    session: "ses",
    callerSession: "ses-a",
    startedAt: 1_000,
    endedAt: 2_000,
    tool: null,
    tokens: { input: 10, output: 20, reasoning: 3, cacheRead: 4, cacheWrite: 5 },
    cost: 0.5,
    costSource: "opencode",
    text: "t",
    textChars: 1,
    errorCode: null,
    error: null,
    model: "p/m",
    parentJobId: null,
    ...over,
  };
}

describe("usageReport", () => {
  it("sums the five token counts and the cost per worker, with a total row", () => {
    const report = usageReport([
      job({ worker: "a" }),
      job({ worker: "b", cost: 0.25 }),
      job({ worker: "a", cost: 1 }),
    ]);
    expect(report).toEqual({
      total: {
        tokens: { input: 30, output: 60, reasoning: 9, cacheRead: 12, cacheWrite: 15 },
        cost: 1.75,
        knownCost: 1.75,
      },
      rows: [
        {
          key: "a",
          tokens: { input: 20, output: 40, reasoning: 6, cacheRead: 8, cacheWrite: 10 },
          cost: 1.5,
          knownCost: 1.5,
          jobs: 2,
        },
        {
          key: "b",
          tokens: { input: 10, output: 20, reasoning: 3, cacheRead: 4, cacheWrite: 5 },
          cost: 0.25,
          knownCost: 0.25,
          jobs: 1,
        },
      ],
    });
  });

  it("makes the cost null (never 0) when any job's cost is unknown, and keeps the known part", () => {
    const report = usageReport(
      [job({ model: "p/priced" }), job({ model: "p/unpriced", cost: null, costSource: null })],
      {
        by: "model",
      },
    );
    expect(report.total.cost).toBeNull();
    expect(report.total.knownCost).toBe(0.5);
    expect(report.rows.map((r) => [r.key, r.cost, r.knownCost])).toEqual([
      ["p/priced", 0.5, 0.5],
      ["p/unpriced", null, 0],
    ]);
  });

  it("groups by profile and by orchestrator session; a nested request counts toward the session of the job that caused it", () => {
    const root = job({ profile: "lead", callerSession: "ses-a" });
    const child = job({ profile: "coder", callerSession: null, parentJobId: root.id });
    const grandchild = job({ profile: "tester", callerSession: null, parentJobId: child.id });
    const cli = job({ profile: "coder", callerSession: null });
    const jobs = [root, child, grandchild, cli];
    expect(usageReport(jobs, { by: "session" }).rows.map((r) => [r.key, r.jobs])).toEqual([
      ["(no session)", 1],
      ["ses-a", 3],
    ]);
    expect(usageReport(jobs, { by: "profile" }).rows.map((r) => [r.key, r.jobs])).toEqual([
      ["coder", 2],
      ["lead", 1],
      ["tester", 1],
    ]);
  });

  it("by worker, tells apart the instances of a reused worker id (its sessions) by their first job's start, and keeps one instance's row as the plain id", () => {
    const t1 = Date.UTC(2026, 11, 4, 16, 2, 11);
    const t2 = Date.UTC(2026, 11, 4, 17, 30, 0);
    const report = usageReport([
      job({ worker: "coder", session: "ses-old", startedAt: t1 }),
      job({ worker: "coder", session: "ses-old", startedAt: t1 + 5_000 }),
      job({ worker: "coder", session: "ses-new", startedAt: t2 }),
      job({ worker: "tester", session: "ses-t", startedAt: t2 }),
    ]);
    expect(report.rows.map((r) => [r.key, r.jobs])).toEqual([
      ["coder (first job 2026-12-04 16:02:11Z)", 2],
      ["coder (first job 2026-12-04 17:30:00Z)", 1],
      ["tester", 1],
    ]);
  });

  it("counts only ended jobs, and only those started since `since`", () => {
    const report = usageReport(
      [
        job({ startedAt: 5_000 }),
        job({ startedAt: 500 }),
        job({ startedAt: 6_000, status: "running", cost: null }),
      ],
      { since: 1_000 },
    );
    expect(report.rows).toHaveLength(1);
    expect(report.total.cost).toBe(0.5);
  });
});

describe("totalsWithCaused", () => {
  it("gives a job's total including the jobs it caused, at any depth", () => {
    const root = job({ cost: 1 });
    const child = job({ cost: 0.5, parentJobId: root.id });
    const grandchild = job({ cost: 0.25, parentJobId: child.id });
    const other = job({ cost: 2 });
    const totals = totalsWithCaused([root, child, grandchild, other]);
    expect(totals.get(root.id)?.cost).toBe(1.75);
    expect(totals.get(root.id)?.tokens.input).toBe(30);
    expect(totals.get(child.id)?.cost).toBe(0.75);
    expect(totals.get(other.id)?.cost).toBe(2);
  });

  it("is unknown when a caused job's cost is unknown", () => {
    const root = job({ cost: 1 });
    const child = job({ cost: null, costSource: null, parentJobId: root.id });
    expect(totalsWithCaused([root, child]).get(root.id)).toMatchObject({ cost: null, knownCost: 1 });
  });
});

describe("formatUsageTable", () => {
  it("prints a header, one line per row and a TOTAL line; an unknown cost says so", () => {
    const text = formatUsageTable(
      usageReport([job({ worker: "a" }), job({ worker: "b", cost: null, costSource: null })]),
      "worker",
    );
    const lines = text.split("\n");
    expect(lines[0]).toMatch(
      /^WORKER\s+JOBS\s+INPUT\s+OUTPUT\s+REASONING\s+CACHE READ\s+CACHE WRITE\s+COST$/,
    );
    expect(lines[1]).toMatch(/^a\s+1\s+10\s+20\s+3\s+4\s+5\s+\$0\.5000$/);
    expect(lines[2]).toMatch(/^b\s+1\s+.*unknown$/);
    expect(lines[3]).toMatch(/^TOTAL\s+2\s+20\s+40\s+6\s+8\s+10\s+unknown \(≥ \$0\.5000\)$/);
  });
});

describe("parseDuration", () => {
  it("reads 30m, 2h, 7d, 45s and 1w, and refuses anything else", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(parseDuration("45s")).toBe(45_000);
    expect(parseDuration("1w")).toBe(604_800_000);
    for (const bad of ["", "30", "m", "0m", "-1h", "1.5h", "2 hours", "3y"])
      expect(parseDuration(bad)).toBeUndefined();
  });
});
