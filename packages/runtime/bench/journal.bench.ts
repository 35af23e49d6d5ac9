// The job journal's write cost per job: the writes one ask makes (create, running, a tool start and
// end, finish with the usage) on the journal file (libSQL, WAL, synchronous=NORMAL), against two
// baselines in the same run, interleaved round by round: the same journal in memory (`:memory:`,
// no file) and a plain append of one JSON line per write to a file. Then the cost of one read
// (`list()`: the sweep of dead owners plus the query), as `orchestra jobs` and list_worker_jobs do,
// over a journal of PRIOR ended jobs.
// Prints median/p99 tables; writes bench-results/journal.json.
//   npx tsx bench/journal.bench.ts   (BENCH_RUNS=500 rounds, BENCH_PRIOR=5000 prior jobs)
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { report, summarize } from "@orchestra/testkit";
import type { JobJournal } from "../src/journal/journal.js";
import { openJobJournal } from "../src/journal/journal.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const PRIOR = Number(process.env.BENCH_PRIOR ?? 5_000);
const out = join(import.meta.dirname, "..", "bench-results", "journal.json");
const scratch = mkdtempSync(join(tmpdir(), "orchestra-journal-bench-"));
const usage = {
  tokens: { input: 8_250, output: 17, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
  cost: 0.0083,
  costSource: "opencode" as const,
};
const TEXT = "An answer of a few hundred characters. ".repeat(10);

/** The writes of one job, as an ask makes them; the time they took, in ms. */
function oneJob(journal: JobJournal): number {
  const t = performance.now();
  const job = journal.create({ worker: "coder", profile: "coder", message: "a task", session: "ses_1" });
  journal.markRunning(job.id);
  journal.setTool(job.id, "bash");
  journal.setTool(job.id, null);
  journal.finish(job.id, { status: "done", text: TEXT, usage });
  return performance.now() - t;
}

/** The same five writes as JSON lines appended to a file (the baseline without a database). */
function oneAppend(file: string, round: number): number {
  const t = performance.now();
  const id = `job-${round.toString(16).padStart(8, "0")}`;
  appendFileSync(
    file,
    `${JSON.stringify({ id, worker: "coder", status: "queued", startedAt: Date.now() })}\n`,
  );
  appendFileSync(file, `${JSON.stringify({ id, status: "running" })}\n`);
  appendFileSync(file, `${JSON.stringify({ id, tool: "bash" })}\n`);
  appendFileSync(file, `${JSON.stringify({ id, tool: null })}\n`);
  appendFileSync(
    file,
    `${JSON.stringify({ id, status: "done", text: TEXT, ...usage, endedAt: Date.now() })}\n`,
  );
  return performance.now() - t;
}

try {
  const onFile = openJobJournal({ file: join(scratch, "jobs.db") });
  const inMemory = openJobJournal({ file: ":memory:" });
  const appendFile = join(scratch, "jobs.jsonl");
  for (let i = 0; i < 20; i++) {
    oneJob(onFile);
    oneJob(inMemory);
    oneAppend(appendFile, -1 - i);
  }
  const file: number[] = [];
  const memory: number[] = [];
  const append: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    file.push(oneJob(onFile));
    memory.push(oneJob(inMemory));
    append.push(oneAppend(appendFile, r));
  }

  // Reads over a journal of PRIOR ended jobs (and a few running ones of a dead owner's kind).
  for (let i = 0; i < PRIOR; i++) oneJob(onFile);
  const reads: number[] = [];
  const readsAll: number[] = [];
  for (let r = 0; r < 100; r++) {
    let t = performance.now();
    onFile.list();
    reads.push(performance.now() - t);
    t = performance.now();
    onFile.get(`job-missing-${r}`);
    readsAll.push(performance.now() - t);
  }
  onFile.close();
  inMemory.close();
  report(
    "job journal: write cost per job (create, running, tool start, tool end, finish) and reads",
    [
      summarize("one job's 5 writes, journal file (WAL)", file),
      summarize("baseline: one job's 5 writes, the same journal in memory", memory),
      summarize("baseline: 5 JSON lines appended to a file", append),
      summarize(`read: list() (sweep + running + last 20) over ${PRIOR + RUNS} jobs`, reads),
      summarize(`read: get(id) (sweep + one row) over ${PRIOR + RUNS} jobs`, readsAll),
    ],
    out,
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
