import type { WorkerInfo } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import {
  composeSystemTransforms,
  WORKERS_CONTEXT_HEADER,
  workersContext,
  workersContextHook,
} from "./system-context.js";

const worker = (id: string, status: WorkerInfo["status"] = "ready"): WorkerInfo => ({
  id,
  profile: id.replace(/-\d+$/, ""),
  kind: "session",
  status,
  model: "scripted/fake-fast",
  url: "http://127.0.0.1:1",
  sessionId: `ses_${id}`,
  startedAt: 0,
});
const model = {} as Parameters<NonNullable<ReturnType<typeof workersContextHook>>>[0]["model"];

describe("workersContext", () => {
  it("lists id, profile, model and status, capped with 'and N more'", () => {
    const text = workersContext([worker("coder"), worker("docs", "busy"), worker("coder-2")], 2);
    expect(text.split("\n")).toEqual([
      WORKERS_CONTEXT_HEADER,
      "- coder: profile coder, model scripted/fake-fast, ready",
      "- docs: profile docs, model scripted/fake-fast, busy",
      "- and 1 more (list_workers shows all)",
    ]);
  });

  it("says how to start a worker when none runs", () => {
    expect(workersContext([], 12)).toContain("No workers are running");
  });
});

describe("workersContextHook", () => {
  const hook = (injectSystemContext: boolean) =>
    workersContextHook({
      ui: { injectSystemContext, systemContextMaxWorkers: 12 },
      workers: () => [worker("coder")],
      isWorkerSession: (id) => id === "ses_worker",
    });

  it("appends the list to the user's sessions and leaves workers' sessions alone", async () => {
    const user = { system: ["base"] };
    await hook(true)?.({ sessionID: "ses_user", model }, user);
    expect(user.system).toEqual(["base", expect.stringContaining("- coder: profile coder")]);
    const workerSession = { system: ["base"] };
    await hook(true)?.({ sessionID: "ses_worker", model }, workerSession);
    expect(workerSession.system).toEqual(["base"]);
  });

  it("is off when injectSystemContext is false", () => {
    expect(hook(false)).toBeUndefined();
  });

  it("composes with other transforms in order", async () => {
    const out = { system: [] as string[] };
    await composeSystemTransforms(
      async (_i, o) => {
        o.system.push("memory");
      },
      undefined,
      hook(true),
    )({ sessionID: "ses_user", model }, out);
    expect(out.system[0]).toBe("memory");
    expect(out.system[1]).toContain(WORKERS_CONTEXT_HEADER);
  });
});
