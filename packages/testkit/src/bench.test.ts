import { describe, expect, it } from "vitest";
import { formatTable, measure, summarize } from "./bench.js";

describe("bench statistics", () => {
  it("computes median, nearest-rank p99, min, max and mean", () => {
    const s = summarize("x", [5, 1, 3, 2, 4]);
    expect(s).toMatchObject({ runs: 5, medianMs: 3, p99Ms: 5, minMs: 1, maxMs: 5, meanMs: 3 });
    expect(summarize("even", [1, 2, 3, 4]).medianMs).toBe(2.5);
  });

  it("uses a run's reported time when it returns one", async () => {
    let i = 0;
    const s = await measure("reported", () => ++i * 10, { runs: 3, warmup: 1 });
    expect(s.runs).toBe(3);
    expect([s.minMs, s.medianMs, s.maxMs]).toEqual([20, 30, 40]);
  });

  it("renders an aligned table with a header", () => {
    const table = formatTable([summarize("spawn", [1500, 2500]), summarize("ask", [0.02])]);
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^benchmark\s+runs\s+median\s+p99\s+min\s+max$/);
    expect(lines[2]).toContain("2.00 s");
    expect(lines[3]).toContain("20.0 µs");
  });
});
