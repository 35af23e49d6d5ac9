import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processStartTime } from "@orchestra/process";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { type JobJournal, openJobJournal } from "../journal/journal.js";
import { JobStore } from "./jobs.js";

// The JobStore reads the journal every process shares: a job it did not start (another process's)
// is read and awaited there, by polling.
const roots: string[] = [];
const journals: JobJournal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function twoHandles(): { store: JobStore; other: JobJournal; file: string } {
  const root = mkdtempSync(join(tmpdir(), "orchestra-jobstore-"));
  roots.push(root);
  const file = join(root, "jobs.db");
  const mine = openJobJournal({ file, ownerKind: "orchestrator" });
  const other = openJobJournal({ file, ownerKind: "cli" });
  journals.push(mine, other);
  return { store: new JobStore(() => mine, { pollMs: 10 }), other, file };
}

describe("JobStore over the shared journal", () => {
  it("get and list see a job another process recorded; wait polls until it ends", async () => {
    const { store, other } = twoHandles();
    const job = other.create({ worker: "docs", profile: "docs", message: "from the CLI" });
    other.markRunning(job.id);
    expect(store.get(job.id)).toMatchObject({ worker: "docs", status: "running", owner: { kind: "cli" } });
    expect(store.list("docs").map((j) => j.id)).toEqual([job.id]);
    expect(await store.wait(job.id, 0)).toMatchObject({ status: "running" });
    const waiting = store.wait(job.id, 60_000);
    other.finish(job.id, { status: "done", text: "the CLI's answer" });
    expect(await waiting).toMatchObject({ status: "done", text: "the CLI's answer" });
    expect(store.get(job.id).result).toBeUndefined();
  });

  it("waiting for a dead owner's job ends with it interrupted", async () => {
    const { store, file } = twoHandles();
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    const pid = child.pid ?? 0;
    const startTime = processStartTime(pid) ?? "";
    const db = new Database(file);
    db.prepare(
      `INSERT INTO jobs (id, worker, profile, status, message, owner_kind, owner_pid, owner_start, started_at)
       VALUES ('job-0dead0ff', 'coder', 'coder', 'running', 'm', 'orchestrator', ?, ?, ?)`,
    ).run(pid, startTime, Date.now());
    db.close();
    const waiting = store.wait("job-0dead0ff", 60_000);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(await waiting).toMatchObject({ status: "interrupted", errorCode: "JOB_INTERRUPTED" });
  });

  it("an unknown job is JOB_NOT_FOUND", async () => {
    const { store } = twoHandles();
    await expect(store.wait("job-nothere", 10)).rejects.toMatchObject({ code: "JOB_NOT_FOUND" });
  });
});
