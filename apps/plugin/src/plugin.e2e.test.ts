import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule, callToolIn } from "./test-support/scripted-calls.js";

// One real OpenCode with the plugin loaded, driven by the scripted model: a user message
// `call <tool> <json args>` makes the model call that tool; its output comes back as text.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let sessionID = "";

/** Prompt the host so the model calls `tool` with `args`; return the tool's output text. */
function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { userText: /.*/, reply: (req) => `worker answer to: ${req.lastUserText}` },
      ],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    // Offline: only the scripted provider counts as connected (OpenCode's free provider needs the internet).
    config: { enabled_providers: ["scripted"] },
  });
  const session = await opencode.client.session.create({ title: "orchestra e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

describe("the plugin in a real OpenCode", () => {
  it("registers every tool it defines", async () => {
    const ids = await opencode.client.tool.ids();
    for (const name of [
      "spawn_worker",
      "ask_worker",
      "ask_worker_async",
      "await_worker_job",
      "get_worker_job",
      "list_worker_jobs",
      "delegate_task",
      "stop_worker",
      "list_workers",
      "suggest_worker",
      "orchestrator_status",
      "orchestrator_config",
      "health_check",
      "orchestrator_output",
      "orchestrator_results",
    ])
      expect(ids.data).toContain(name);
  });

  it("list_workers says there are none yet, and how to start one", async () => {
    expect(await callTool("list_workers")).toContain("No workers are running");
  });

  it("spawn_worker starts a session worker, and list_workers shows it ready", async () => {
    const out = await callTool("spawn_worker", { profile: "explorer", format: "json" });
    const info = JSON.parse(out) as { id: string; kind: string; status: string; model: string };
    expect(info).toMatchObject({ id: "explorer", status: "ready" });
    expect(info.model).toMatch(/^scripted\//);
    expect(await callTool("list_workers")).toMatch(/explorer\s+\w+\s+ready/);
  });

  it("ask_worker returns the worker's answer", async () => {
    const out = await callTool("ask_worker", { id: "explorer", message: "where is the config loaded?" });
    expect(out).toContain("worker answer to: where is the config loaded?");
  });

  it("ask_worker on an unknown worker names the workers that exist", async () => {
    const out = await callTool("ask_worker", { id: "nobody", message: "hi" });
    expect(out).toContain("WORKER_NOT_FOUND");
    expect(out).toContain("explorer (ready)");
  });

  it("spawn_worker starts a process worker: its own opencode serve, pid, port, password", async () => {
    const out = await callTool("spawn_worker", { profile: "coder", format: "json" });
    const info = JSON.parse(out) as {
      id: string;
      kind: string;
      status: string;
      pid: number;
      port: number;
      url: string;
    };
    expect(info).toMatchObject({ id: "coder", kind: "process", status: "ready" });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(process.kill(info.pid, 0)).toBe(true);
    // The worker's server refuses requests without its password.
    expect((await fetch(`${info.url}/session`, { signal: AbortSignal.timeout(10_000) })).status).toBe(401);
    const answer = await callTool("ask_worker", { id: "coder", message: "add a test" });
    expect(answer).toContain("worker answer to: add a test");
    const stopped = await callTool("stop_worker", { id: "coder" });
    expect(stopped).toBe("Worker coder stopped.");
    expect(() => process.kill(-info.pid, 0)).toThrow();
  });

  it("ask_worker_async + await_worker_job + get_worker_job + list_worker_jobs", async () => {
    const started = await callTool("ask_worker_async", {
      id: "explorer",
      message: "list the packages",
      format: "json",
    });
    const job = JSON.parse(started) as { id: string; status: string };
    expect(job.id).toMatch(/^job-/);
    const done = await callTool("await_worker_job", { jobId: job.id });
    expect(done).toContain("worker answer to: list the packages");
    expect(await callTool("get_worker_job", { jobId: job.id })).toContain(`Job ${job.id} on explorer: done`);
    expect(await callTool("list_worker_jobs")).toContain(job.id);
    expect(await callTool("get_worker_job", { jobId: "job-missing" })).toContain("JOB_NOT_FOUND");
  });

  it("delegate_task picks the profile by the task and answers", async () => {
    const out = await callTool("delegate_task", {
      task: "analyze this image and extract text",
      format: "json",
    });
    const result = JSON.parse(out) as {
      worker: { profile: string; model: string };
      answer: { text: string };
    };
    expect(result.worker.profile).toBe("vision");
    // The vision profile lands on the vision-capable scripted model.
    expect(result.worker.model).toBe("scripted/fake-vision");
    expect(result.answer.text).toContain("worker answer to: analyze this image");
  });

  it("suggest_worker ranks profiles with confidence and reasons", async () => {
    const out = await callTool("suggest_worker", { purpose: "write a REST API endpoint", format: "json" });
    const ranked = JSON.parse(out) as { profile: string; confidence: number; reasons: string[] }[];
    expect(ranked[0]?.profile).toBe("coder");
    expect(ranked[0]?.confidence).toBeGreaterThan(0);
  });

  it("diagnostics: status, config, health_check, output and results", async () => {
    expect(await callTool("orchestrator_status")).toMatch(/Workers: \d+/);
    expect(await callTool("orchestrator_config", { key: "healthCheck.intervalMs" })).toContain(
      "healthCheck.intervalMs = 30000  (default)",
    );
    expect(await callTool("health_check")).toMatch(/explorer\s+ready\s+yes/);
    expect(await callTool("orchestrator_output")).toContain("spawn");
    expect(await callTool("orchestrator_results", { workerId: "explorer" })).toContain("worker answer to");
  });

  it("orchestrator_device_registry lists this orchestrator's workers with owner and live status", async () => {
    const out = JSON.parse(await callTool("orchestrator_device_registry", { format: "json" })) as {
      file: string;
      entries: { id: string; owner: string; live: string }[];
    };
    expect(out.file).toMatch(/registry\.json$/);
    expect(out.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "explorer", live: "alive-owned" })]),
    );
    expect(out.entries.find((e) => e.id === "explorer")?.owner).toMatch(/^orchestrator \d+$/);
  });

  it("orchestrator_diagnostics reports config, catalog, health, registry and memory", async () => {
    const text = await callTool("orchestrator_diagnostics");
    expect(text).toMatch(/Model catalog: \d+ models, \d+ from connected providers/);
    expect(text).toContain("Profiles: vision, docs, coder, architect, explorer, memory");
    expect(text).toMatch(/Device registry: .*registry\.json \(\d+ entries\)/);
    expect(text).toMatch(/Memory: enabled/);
  });

  it("routes an image sent to a text-only model to the vision worker and puts its analysis in the conversation", async () => {
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const before = model.requests.length;
    const result = await opencode.client.session.prompt({
      sessionID,
      model: { providerID: "scripted", modelID: "fake-fast" },
      parts: [
        { type: "text", text: "what does this screenshot say?" },
        { type: "file", mime: "image/png", url: `data:image/png;base64,${png}`, filename: "screenshot.png" },
      ],
    });
    expect(result.error).toBeUndefined();
    const sent = model.requests.slice(before);
    // The vision worker saw the image, on the vision-capable model.
    const visionCall = sent.find((r) => r.model === "fake-vision" && JSON.stringify(r.body).includes(png));
    expect(visionCall).toBeDefined();
    // The text-only model got the analysis instead of the image, never the image itself.
    const hostCall = sent.find(
      (r) => r.model === "fake-fast" && JSON.stringify(r.body).includes("what does this screenshot say?"),
    );
    expect(hostCall).toBeDefined();
    const hostBody = JSON.stringify(hostCall?.body);
    expect(hostBody).toContain(
      "screenshot.png: scripted/fake-fast cannot see images, so the vision worker analysed it",
    );
    expect(hostBody).toContain("worker answer to: Describe this image");
    expect(hostBody).not.toContain(png);
  });
});
