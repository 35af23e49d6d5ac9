import { existsSync } from "node:fs";
import {
  defaultJournalFile,
  defaultRegistryFile,
  formatUsageTable,
  openJobJournal,
  parseDuration,
  type UsageGrouping,
  type UsageReport,
  usageReport,
} from "@orchestra/runtime";
import { EXIT } from "../exit.js";
import { UsageError } from "../usage-error.js";

/** The options of `orchestra usage`. */
export interface UsageOptions {
  json?: boolean;
  since?: string;
  by: UsageGrouping;
  registry?: string;
}

/** `orchestra usage`: the ledger over the job journal, as a table with a total row or as JSON. */
export async function runUsage(options: UsageOptions): Promise<void> {
  let since: number | undefined;
  if (options.since !== undefined) {
    const ms = parseDuration(options.since);
    if (ms === undefined)
      throw new UsageError(`--since takes a duration such as 30m, 2h or 7d (got "${options.since}")`, {
        hints: [
          "a whole number followed by s, m, h, d or w",
          "usage: orchestra usage [--json] [--since DURATION] [--by worker|profile|model|session]",
        ],
      });
    since = Date.now() - ms;
  }
  const file = defaultJournalFile(options.registry ?? defaultRegistryFile());
  // Reading never creates the journal: no file, no jobs (yet).
  let report: UsageReport = usageReport([]);
  if (existsSync(file)) {
    const journal = openJobJournal({ file });
    try {
      report = usageReport(journal.list({ all: true }), {
        by: options.by,
        ...(since === undefined ? {} : { since }),
      });
    } finally {
      journal.close();
    }
  }
  const text = options.json ? `${JSON.stringify(report)}\n` : `${formatUsageTable(report, options.by)}\n`;
  await new Promise<void>((resolve) => process.stdout.write(text, () => resolve()));
  process.exitCode = EXIT.ok;
}
