import { type CheckResult, type CheckStatus, plural } from "./check.js";

/** Exactly what `orchestra doctor --json` prints. */
export interface DoctorReport {
  /** True when no check failed (warnings allowed). */
  ok: boolean;
  checks: CheckResult[];
}

/** The report of `checks`: ok unless one failed. */
export function doctorReport(checks: CheckResult[]): DoctorReport {
  return { ok: !checks.some((c) => c.status === "fail"), checks };
}

const MARK: Record<CheckStatus, string> = { pass: "✓", warn: "!", fail: "✗" };

/**
 * The human form: one line per check (mark, id, message; a message's further lines and the hint
 * indented under it), then a summary line.
 */
export function formatReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const indent = " ".repeat(width + 4);
  const lines: string[] = [];
  for (const c of report.checks) {
    const [first = "", ...rest] = c.message.split("\n");
    lines.push(`${MARK[c.status]} ${c.id.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`${indent}${line}`);
    if (c.hint !== undefined) lines.push(`${indent}hint: ${c.hint}`);
  }
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  lines.push(
    "",
    `${report.ok ? "ok" : "not ok"}: ${count("fail")} failed, ${plural(count("warn"), "warning")}, ${count("pass")} passed`,
  );
  return `${lines.join("\n")}\n`;
}

/** When to report a step that is still running, in ms. */
export interface ProgressTiming {
  /** First line after this long (default 3 000). */
  afterMs: number;
  /** Then one line this often (default 5 000). */
  everyMs: number;
}

/**
 * Run `work`, writing `doctor: still <label>… (Ns)` to `write` (stderr) when it has taken
 * `afterMs` and then every `everyMs`, so a slow step (a server that does not answer) is never silent.
 */
export async function withProgress<T>(
  label: string,
  work: () => T | Promise<T>,
  write: (line: string) => void,
  timing: ProgressTiming = { afterMs: 3_000, everyMs: 5_000 },
): Promise<T> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const tick = (delay: number) => {
    timer = setTimeout(() => {
      write(`doctor: still ${label}… (${Math.round((Date.now() - started) / 1000)} s)\n`);
      tick(timing.everyMs);
    }, delay);
  };
  tick(timing.afterMs);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
  }
}
