// How cancelJob and steerJob find what an id names before they reach any server: a worker of the
// device registry (only a live process worker that is provably ours), or a job of the journal
// (only a running one). The turn itself is aborted or steered in cancel-steer.opencode.test.ts.
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openJobJournal } from "../journal/journal.js";
import { openRegistry } from "../registry/registry.js";
import { makeEntry, memoryLogger, tempDir } from "../registry/test-support/entries.js";
import { RuntimeError } from "../runtime-error.js";
import { cancelJob, steerJob } from "./job-control.js";

let dir = "";
let cleanup: () => Promise<void> = async () => undefined;
let registryFile = "";
const logger = memoryLogger();

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  registryFile = join(dir, "registry.json");
});

afterEach(async () => {
  await cleanup();
});

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!RuntimeError.isInstance(error)) throw new Error(`expected a RuntimeError, got ${String(error)}`);
  return error;
}

describe("cancelJob and steerJob find the id's worker", () => {
  it("an unknown worker id is WORKER_NOT_FOUND naming the workers; an unknown job id is JOB_NOT_FOUND", async () => {
    await openRegistry({ file: registryFile, logger }).upsert(makeEntry({ id: "docs", profile: "docs" }));
    const worker = await failure(cancelJob("coder", { registryFile, logger }));
    expect(worker.code).toBe("WORKER_NOT_FOUND");
    expect(worker.message).toBe('no job or worker "coder"; workers: docs');
    const job = await failure(steerJob("job-12345678", "more", { registryFile, logger }));
    expect(job.code).toBe("JOB_NOT_FOUND");
  });

  it("a session worker of another orchestrator is WORKER_UNAVAILABLE: only its orchestrator reaches it", async () => {
    await openRegistry({ file: registryFile, logger }).upsert(
      makeEntry({ id: "explorer", profile: "explorer", kind: "session", pgid: null, sessionId: "ses_1" }),
    );
    const error = await failure(cancelJob("explorer", { registryFile, logger }));
    expect(error.code).toBe("WORKER_UNAVAILABLE");
    expect(error.message).toContain("a session worker of an orchestrator");
    expect(error.hints[0]).toContain("cancel_worker_job");
  });

  it("a process worker whose password cannot be derived is not ours: WORKER_UNAVAILABLE, no request sent", async () => {
    await openRegistry({ file: registryFile, logger }).upsert(makeEntry({ sessionId: "ses_1" }));
    const error = await failure(
      cancelJob("coder", { registryFile, logger, secretFile: join(dir, "no-secret") }),
    );
    expect(error.code).toBe("WORKER_UNAVAILABLE");
    expect(error.message).toBe('cannot prove worker "coder" is ours: its password cannot be derived');
  });

  it("a job that already ended is JOB_NOT_RUNNING, naming its state", async () => {
    const journal = openJobJournal({ registryFile });
    const job = journal.create({ worker: "coder", profile: "coder", message: "hi" });
    journal.finish(job.id, { status: "done", text: "hello" });
    journal.close();
    const error = await failure(cancelJob(job.id, { registryFile, logger }));
    expect(error.code).toBe("JOB_NOT_RUNNING");
    expect(error.message).toBe(`job ${job.id} of worker "coder" already ended: done`);
  });

  it("a queued job (waiting for a provider slot) has no turn yet: JOB_NOT_RUNNING says it is queued", async () => {
    const journal = openJobJournal({ registryFile });
    const job = journal.create({ worker: "coder", profile: "coder", message: "hi" });
    journal.close();
    const error = await failure(cancelJob(job.id, { registryFile, logger }));
    expect(error.code).toBe("JOB_NOT_RUNNING");
    expect(error.message).toBe(
      `job ${job.id} of worker "coder" is queued (waiting for a provider slot or for its worker): it has no turn to abort or steer yet`,
    );
  });

  it("a running job whose worker is gone from the registry is WORKER_NOT_FOUND", async () => {
    const journal = openJobJournal({ registryFile });
    const job = journal.create({ worker: "coder", profile: "coder", message: "hi" });
    journal.markRunning(job.id);
    journal.close();
    const error = await failure(cancelJob(job.id, { registryFile, logger }));
    expect(error.code).toBe("WORKER_NOT_FOUND");
    expect(error.message).toBe(`job ${job.id}'s worker "coder" is not in the device registry`);
  });
});
