import type { UsageGrouping, UsageReport, UsageTotals } from "./ledger.js";

/** A cost in USD for people: `$0.0123`; an unknown one says so and shows the known part. */
export function formatCost(totals: Pick<UsageTotals, "cost" | "knownCost">): string {
  if (totals.cost !== null) return usd(totals.cost);
  return totals.knownCost > 0 ? `unknown (≥ ${usd(totals.knownCost)})` : "unknown";
}

/** USD with 4 decimals (6 below a cent, so small jobs do not read as $0.0000). */
function usd(value: number): string {
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 0.01 ? 6 : 4)}`;
}

/**
 * The ledger as a table: one line per row and a total line, columns aligned. Says so when there
 * are no jobs.
 */
export function formatUsageTable(report: UsageReport, by: UsageGrouping): string {
  const header = [
    by.toUpperCase(),
    "JOBS",
    "INPUT",
    "OUTPUT",
    "REASONING",
    "CACHE READ",
    "CACHE WRITE",
    "COST",
  ];
  const line = (key: string, jobs: number, t: UsageTotals) => [
    key,
    String(jobs),
    String(t.tokens.input),
    String(t.tokens.output),
    String(t.tokens.reasoning),
    String(t.tokens.cacheRead),
    String(t.tokens.cacheWrite),
    formatCost(t),
  ];
  const jobs = report.rows.reduce((n, r) => n + r.jobs, 0);
  const table = [
    header,
    ...report.rows.map((r) => line(r.key, r.jobs, r)),
    line("TOTAL", jobs, report.total),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((cells) => (cells[i] as string).length)));
  const text = table
    .map((cells) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
  return report.rows.length === 0 ? `${text}\n(no finished jobs in this period)` : text;
}
