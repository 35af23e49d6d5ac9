import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processStartTime } from "@orchestra/process";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { JOB_TEXT_LIMIT } from "./job-record.js";
import { type JobJournal, openJobJournal } from "./journal.js";
import { defaultJournalFile } from "./journal-paths.js";
import { JOURNAL_SCHEMA_VERSION } from "./journal-schema.js";

const roots: string[] = [];
const open: JobJournal[] = [];
afterEach(() => {
  for (const j of open.splice(0)) j.close();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function journalIn(root?: string): JobJournal {
  const dir = root ?? mkdtempSync(join(tmpdir(), "orchestra-journal-"));
  if (root === undefined) roots.push(dir);
  const journal = openJobJournal({ registryFile: join(dir, "data", "registry.json") });
  open.push(journal);
  return journal;
}

/** A pid + start time of a process that has exited. */
async function deadProcess(): Promise<{ pid: number; startTime: string }> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const pid = child.pid ?? 0;
  const startTime = processStartTime(pid) ?? "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return { pid, startTime };
}

describe("the job journal", () => {
  it("records a job with a step of unknown usage with an unknown cost (null), and its spend counts the known part (fail safe)", () => {
    const journal = journalIn();
    const job = journal.create({ worker: "w", profile: "p", message: "m", session: "s" });
    const tokens = { input: 100, output: 50, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
    const record = journal.finish(job.id, {
      status: "failed",
      errorCode: "WORKER_ASK_FAILED",
      error: "UnknownError",
      usage: { tokens, cost: null, costSource: null, model: "p/m", unknownSteps: 1, knownCost: 0.25 },
    });
    expect(record).toMatchObject({ cost: null, costSource: null, tokens });
    expect(journal.spend({ worker: "w", session: "s" })).toEqual({ cost: 0.25, tokens: 150 });
  });

  it("lives in jobs.db beside the registry, mode 0600, schema version 1 in WAL mode", () => {
    const journal = journalIn();
    expect(journal.file.endsWith(join("data", "jobs.db"))).toBe(true);
    expect(defaultJournalFile("/x/registry.json")).toBe("/x/jobs.db");
    expect(statSync(journal.file).mode & 0o777).toBe(0o600);
    const db = new Database(journal.file);
    expect(db.prepare("PRAGMA user_version").get()).toMatchObject({ user_version: JOURNAL_SCHEMA_VERSION });
    expect(db.prepare("PRAGMA journal_mode").get()).toMatchObject({ journal_mode: "wal" });
    db.close();
  });

  it("refuses a journal from a newer version with JOB_JOURNAL_UNAVAILABLE", () => {
    const journal = journalIn();
    const file = journal.file;
    journal.close();
    const db = new Database(file);
    db.exec("PRAGMA user_version = 99");
    db.close();
    expect(() => openJobJournal({ file })).toThrow(
      expect.objectContaining({
        code: "JOB_JOURNAL_UNAVAILABLE",
        message: expect.stringContaining("schema version 99, newer"),
      }),
    );
  });

  it("records a job queued → running → done, owned by this process, with the text truncated", () => {
    const journal = journalIn();
    const job = journal.create({ worker: "coder", profile: "coder", message: "hello", session: "ses_1" });
    expect(job).toMatchObject({
      id: expect.stringMatching(/^job-[0-9a-f]{8}$/),
      worker: "coder",
      status: "queued",
      owner: { kind: "cli", pid: process.pid, startTime: processStartTime(process.pid) },
      session: "ses_1",
      callerSession: null,
      endedAt: null,
      tokens: null,
      cost: null,
    });
    journal.markRunning(job.id);
    journal.setTool(job.id, "bash");
    expect(journal.get(job.id)).toMatchObject({ status: "running", tool: "bash" });
    const long = "x".repeat(JOB_TEXT_LIMIT + 500);
    const done = journal.finish(job.id, {
      status: "done",
      text: long,
      usage: {
        tokens: { input: 10, output: 5, reasoning: 0, cacheRead: 2, cacheWrite: 0 },
        cost: 0.25,
        costSource: "opencode",
      },
    });
    expect(done).toMatchObject({
      status: "done",
      tool: null,
      textChars: long.length,
      tokens: { input: 10, output: 5, reasoning: 0, cacheRead: 2, cacheWrite: 0 },
      cost: 0.25,
      costSource: "opencode",
      errorCode: null,
    });
    expect(done?.text).toHaveLength(JOB_TEXT_LIMIT);
    expect(done?.text?.endsWith("…")).toBe(true);
    expect(done?.endedAt).toBeGreaterThanOrEqual(job.startedAt);
  });

  it("never changes an ended job's state: a late finish keeps `cancelled` but adds the usage", () => {
    const journal = journalIn();
    const job = journal.create({ worker: "docs", profile: "docs", message: "m" });
    expect(journal.markCancelled(job.id, "cancelled by orchestra workers cancel")).toBe(true);
    expect(journal.markCancelled(job.id, "again")).toBe(false);
    expect(journal.markCancelled("job-missing", "x")).toBe(false);
    journal.markRunning(job.id);
    journal.setTool(job.id, "read");
    const after = journal.finish(job.id, {
      status: "failed",
      errorCode: "WORKER_ASK_FAILED",
      error: "aborted",
      usage: { tokens: null, cost: 0, costSource: "opencode" },
    });
    expect(after).toMatchObject({
      status: "cancelled",
      errorCode: "JOB_CANCELLED",
      error: "cancelled by orchestra workers cancel",
      tool: null,
      tokens: null,
      cost: 0,
    });
    const done = journal.create({ worker: "docs", profile: "docs", message: "m" });
    journal.finish(done.id, { status: "done", text: "ok" });
    journal.finish(done.id, { status: "failed", errorCode: "X", error: "late" });
    expect(journal.get(done.id)).toMatchObject({ status: "done", text: "ok", error: null });
  });

  it("lists the running jobs and the last N ended ones (all with `all`), by worker too", () => {
    const journal = journalIn();
    const ended: string[] = [];
    for (let i = 0; i < 25; i++) {
      const job = journal.create({ worker: i % 2 ? "a" : "b", profile: "p", message: `m${i}` });
      journal.finish(job.id, { status: "done", text: `t${i}` });
      ended.push(job.id);
    }
    const running = journal.create({ worker: "a", profile: "p", message: "busy" });
    journal.markRunning(running.id);
    const listed = journal.list();
    expect(listed).toHaveLength(21);
    expect(listed[0]?.id).toBe(running.id);
    expect(listed.slice(1).map((j) => j.id)).toEqual(ended.slice(-20).reverse());
    expect(journal.list({ recent: 2 }).map((j) => j.id)).toEqual([running.id, ...ended.slice(-2).reverse()]);
    expect(journal.list({ all: true })).toHaveLength(26);
    expect(journal.list({ all: true, worker: "a" }).every((j) => j.worker === "a")).toBe(true);
    expect(journal.findRunningByWorker("a").map((j) => j.id)).toEqual([running.id]);
    expect(journal.findRunningByWorker("b")).toEqual([]);
  });

  it("JOB_NOT_FOUND names the recent jobs", () => {
    const journal = journalIn();
    expect(() => journal.require("job-nope")).toThrow(/no job "job-nope"; no jobs yet/);
    const job = journal.create({ worker: "a", profile: "p", message: "m" });
    expect(() => journal.require("job-nope")).toThrow(
      expect.objectContaining({ code: "JOB_NOT_FOUND", message: expect.stringContaining(job.id) }),
    );
  });

  it("two journals on one file (two processes) see each other's jobs", () => {
    const root = mkdtempSync(join(tmpdir(), "orchestra-journal-"));
    roots.push(root);
    const one = journalIn(root);
    const two = journalIn(root);
    const job = one.create({ worker: "a", profile: "p", message: "m" });
    expect(two.get(job.id)?.status).toBe("queued");
    two.markCancelled(job.id, "from the other process");
    expect(one.get(job.id)?.status).toBe("cancelled");
  });

  it("a sweep marks the queued and running jobs of a dead owner `interrupted`, at the next read too", async () => {
    const journal = journalIn();
    const dead = await deadProcess();
    const db = new Database(journal.file);
    const insert = db.prepare(
      `INSERT INTO jobs (id, worker, profile, status, message, owner_kind, owner_pid, owner_start, started_at)
       VALUES (?, 'coder', 'coder', ?, 'm', 'orchestrator', ?, ?, ?)`,
    );
    insert.run("job-dead0001", "running", dead.pid, dead.startTime, Date.now());
    insert.run("job-dead0002", "queued", dead.pid, dead.startTime, Date.now());
    insert.run("job-dead0003", "done", dead.pid, dead.startTime, Date.now());
    // A live process that is not the recorded one (its pid reused): still not the owner.
    insert.run("job-reused01", "running", process.pid, "linux:other-boot:1", Date.now());
    db.close();
    const mine = journal.create({ worker: "docs", profile: "docs", message: "mine" });

    // The next read sweeps first.
    expect(journal.get("job-dead0001")).toMatchObject({
      status: "interrupted",
      errorCode: "JOB_INTERRUPTED",
      error: `its owner (orchestrator, pid ${dead.pid}) exited while the job ran`,
      endedAt: expect.any(Number),
    });
    expect(journal.get("job-dead0002")?.status).toBe("interrupted");
    expect(journal.get("job-dead0003")?.status).toBe("done");
    expect(journal.get("job-reused01")?.status).toBe("interrupted");
    expect(journal.get(mine.id)?.status).toBe("queued");
    expect(journal.sweep()).toBe(0);
  });

  it("the periodic sweep interrupts a dead owner's job without any read", async () => {
    const journal = journalIn();
    const dead = await deadProcess();
    const db = new Database(journal.file);
    db.prepare(
      `INSERT INTO jobs (id, worker, profile, status, message, owner_kind, owner_pid, owner_start, started_at)
       VALUES ('job-dead0004', 'coder', 'coder', 'running', 'm', 'cli', ?, ?, ?)`,
    ).run(dead.pid, dead.startTime, Date.now());
    const status = db.prepare("SELECT status FROM jobs WHERE id = 'job-dead0004'");
    journal.startSweeping(20);
    await expect
      .poll(() => (status.get() as { status: string }).status, { timeout: 10_000 })
      .toBe("interrupted");
    db.close();
  });
});
