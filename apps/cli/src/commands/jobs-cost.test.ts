import type { JobRecord } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { jobsTable } from "./jobs-table.js";

function job(over: Partial<JobRecord>): JobRecord {
  return {
    id: "job-00000001",
    worker: "lead-1",
    profile: "lead",
    status: "done",
    message: "m",
    owner: { kind: "cli", pid: 1, startTime: "1" },
    session: null,
    callerSession: null,
    startedAt: 0,
    endedAt: 1_000,
    tool: null,
    tokens: { input: 1, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    cost: 0.75,
    costSource: "opencode",
    model: "p/m",
    parentJobId: null,
    text: "ok",
    textChars: 2,
    errorCode: null,
    error: null,
    ...over,
  };
}

describe("orchestra jobs' cost column", () => {
  it("shows each job's cost and its source, unknown (never $0) for unknown prices, - while running, and a job's total with the jobs it caused", () => {
    const lead = job({});
    const helper = job({
      id: "job-00000002",
      worker: "helper-1",
      parentJobId: lead.id,
      cost: 1.5,
      costSource: "catalog",
    });
    const unpriced = job({ id: "job-00000003", worker: "u-1", cost: null, costSource: null });
    const running = job({ id: "job-00000004", status: "running", endedAt: null, cost: null, tokens: null });
    const lines = jobsTable([lead, helper, unpriced, running], 2_000).split("\n");
    expect(lines[0]).toMatch(/cost$/);
    expect(lines[1]).toMatch(/^job-00000001 .* \$0\.7500 opencode \(with caused: \$2\.2500\)$/);
    expect(lines[2]).toMatch(/^job-00000002 .* \$1\.5000 catalog$/);
    expect(lines[3]).toMatch(/^job-00000003 .* unknown$/);
    expect(lines[4]).toMatch(/^job-00000004 .* -$/);
  });
});
