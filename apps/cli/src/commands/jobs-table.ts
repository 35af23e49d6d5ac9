import { formatCost, type JobRecord, totalsWithCaused, type UsageTotals } from "@orchestra/runtime";
import { terminalSafe } from "../terminal-text.js";

/** `1.2 s`, `3 min 4 s`, `2 h 5 min`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  if (s < 3600) return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** `in/out` tokens (`-` when unknown). */
function tokensCell(job: JobRecord): string {
  return job.tokens === null ? "-" : `${job.tokens.input}/${job.tokens.output}`;
}

/**
 * A job's cost and where it came from: `-` while it runs, `$0.7500 opencode` (OpenCode's figure),
 * `$0.7500 catalog` (the catalog's prices), `unknown` (no prices), and with the jobs it caused
 * (worker-to-worker requests) when there are some: `$0.7500 opencode (with caused: $2.2500)`.
 */
function costCell(job: JobRecord, total: UsageTotals | undefined): string {
  if (job.endedAt === null) return "-";
  const own =
    job.cost === null
      ? "unknown"
      : `${formatCost({ cost: job.cost, knownCost: job.cost })} ${job.costSource ?? ""}`.trim();
  const caused = total !== undefined && (total.cost !== job.cost || total.knownCost !== (job.cost ?? 0));
  return caused ? `${own} (with caused: ${formatCost(total)})` : own;
}

/** The jobs as an aligned table, `now` for the running jobs' durations. */
export function jobsTable(jobs: readonly JobRecord[], now: number): string {
  if (jobs.length === 0)
    return "No jobs yet. Every ask of a worker is one (`orchestra workers ask <id> <message>`, ask_worker).";
  const header = [
    "id",
    "worker",
    "profile",
    "status",
    "started",
    "duration",
    "tool",
    "tokens in/out",
    "cost",
  ];
  const totals = totalsWithCaused(jobs);
  const rows = jobs.map((j) => [
    j.id,
    j.worker,
    j.profile,
    j.status,
    new Date(j.startedAt).toISOString().replace("T", " ").slice(0, 19),
    formatDuration((j.endedAt ?? now) - j.startedAt),
    terminalSafe(j.tool ?? "-"),
    tokensCell(j),
    costCell(j, totals.get(j.id)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const notes = jobs
    .filter((j) => j.error !== null && (j.status === "failed" || j.status === "interrupted"))
    .map((j) => terminalSafe(`${j.id}: ${j.errorCode ?? "error"}: ${j.error}`));
  return [line(header), ...rows.map(line), ...(notes.length ? ["", ...notes] : [])].join("\n");
}
