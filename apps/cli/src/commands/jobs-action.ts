import { existsSync } from "node:fs";
import {
  defaultJournalFile,
  defaultRegistryFile,
  type JobJournal,
  type JobRecord,
  openJobJournal,
  toJobJson,
} from "@orchestra/runtime";
import { EXIT } from "../exit.js";
import { jobsTable } from "./jobs-table.js";

/** The options of `orchestra jobs`. */
export interface JobsOptions {
  json?: boolean;
  all?: boolean;
  watch?: boolean;
  registry?: string;
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

/** Redraw interval of `--watch`, in ms. */
const WATCH_MS = 1_000;

/** `orchestra jobs`: the journal's running jobs and last 20 ended ones (`--all`: every job). */
export async function runJobs(options: JobsOptions): Promise<void> {
  const file = defaultJournalFile(options.registry ?? defaultRegistryFile());
  // Reading never creates the journal: no file, no jobs (yet).
  let journal: JobJournal | undefined = existsSync(file) ? openJobJournal({ file }) : undefined;
  const read = (): JobRecord[] => {
    if (journal === undefined && existsSync(file)) journal = openJobJournal({ file });
    return journal?.list({ all: options.all === true }) ?? [];
  };
  const render = (jobs: JobRecord[]): string =>
    options.json ? `${JSON.stringify(jobs.map(toJobJson))}\n` : `${jobsTable(jobs, Date.now())}\n`;
  if (!options.watch) {
    await write(render(read()));
    journal?.close();
    return;
  }
  // --watch: redraw until Ctrl-C (or SIGTERM), then exit 0 without a trace.
  const stop = () => {
    journal?.close();
    if (!options.json && process.stdout.isTTY) process.stdout.write("\n");
    process.exit(EXIT.ok);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const clear = !options.json && process.stdout.isTTY ? "\x1b[2J\x1b[H" : "";
  for (;;) {
    const jobs = read();
    const header = options.json ? "" : `orchestra jobs — ${new Date().toISOString()} (Ctrl-C to stop)\n\n`;
    await write(`${clear}${header}${render(jobs)}`);
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
  }
}
