import { echoScript, reply, rules, type ScriptedModel, startScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "./test-support/plugin-server.js";
import { callRule } from "./test-support/scripted-calls.js";

// Fallback at run time in one real OpenCode with the plugin. The scripted model answers 429
// (retry-after 0) for the model id `primary` and normally for `backup`; the profile `flaky` lists
// both (`model: ["scripted/primary", "scripted/backup"]`). Its worker answers through `backup`,
// and ask_worker's output, the activity log and a toast (a `tui.toast.show` event) say so. With a
// small `modelSelection.fallbackCooldownMs`, the next job tries `primary` again: the scripted
// model's request log shows the order. A process worker of the same list falls back the same way.
const COOLDOWN_MS = 1_000;

let model: ScriptedModel;
let server: PluginServer;

const callTool = (tool: string, args: Record<string, unknown> = {}) => server.callTool(tool, args);
const toastMatching = (pattern: RegExp) => server.toasts.matching(pattern);

/** The models a worker's job reached, in order, each run of repeats (OpenCode's retries) as one. */
function modelsAsked(marker: string): string[] {
  const all = model.requests
    .filter((r) => r.lastUserText.includes(marker) && !r.lastUserText.startsWith("call "))
    .filter((r) => r.toolNames.length > 0)
    .map((r) => r.model);
  return all.filter((m, i) => m !== all[i - 1]);
}

beforeAll(async () => {
  model = await startScriptedModel({
    models: [{ id: "fake-fast" }, { id: "primary" }, { id: "backup" }],
    script: rules(
      [
        {
          model: "primary",
          reply: reply.error(429, "rate limit reached for primary", { headers: { "retry-after": "0" } }),
        },
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { model: "backup", userText: /job/, reply: (req) => `backup answers: ${req.lastUserText}` },
      ],
      echoScript,
    ),
  });
  server = await startPluginServer({
    name: "fallback",
    model,
    orchestrator: {
      ui: { toasts: true },
      modelSelection: { fallbackCooldownMs: COOLDOWN_MS },
      profiles: [
        {
          id: "flaky",
          extends: "explorer",
          kind: "session",
          model: ["scripted/primary", "scripted/backup"],
        },
        {
          id: "flaky-process",
          extends: "explorer",
          kind: "process",
          model: ["scripted/primary", "scripted/backup"],
        },
      ],
    },
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await model?.close();
});

describe("a profile's model list falls back at run time", { timeout: 180_000 }, () => {
  it("answers through the second model when the first is rate-limited, and says so", async () => {
    const spawned = await callTool("spawn_worker", { profile: "flaky" });
    expect(spawned).toContain("model scripted/primary");

    const out = await callTool("ask_worker", { id: "flaky", message: "job one" });
    const line = /flaky fell back from scripted\/primary to scripted\/backup: rate limit reached for primary/;
    expect(out).toMatch(line);
    expect(out).toContain("backup answers: job one");
    expect(modelsAsked("job one")).toEqual(["primary", "backup"]);

    // The activity log and a warning toast say it too.
    expect(await callTool("orchestrator_output")).toMatch(line);
    expect((await toastMatching(line)).variant).toBe("warning");
  });

  it("the next job after the cool-down tries the first model again (delegate_task says it fell back again)", async () => {
    // Wait out the cool-down (the test asserts the order of requests, not a duration).
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 200));
    const out = await callTool("delegate_task", { task: "job two", profile: "flaky" });
    expect(out).toContain("backup answers: job two");
    expect(out).toMatch(/flaky fell back from scripted\/primary to scripted\/backup/);
    expect(modelsAsked("job two")).toEqual(["primary", "backup"]);
    // Every request of job two came after job one's: the primary was tried again, not skipped.
    const firstOfJobTwo = model.requests.findIndex((r) => r.lastUserText === "job two");
    const lastOfJobOne = model.requests.findLastIndex((r) => r.lastUserText === "job one");
    expect(firstOfJobTwo).toBeGreaterThan(lastOfJobOne);
    expect(model.requests[firstOfJobTwo]?.model).toBe("primary");
  });

  it("a process worker falls back the same way: its next prompt names the other model (no respawn)", async () => {
    const spawned = await callTool("spawn_worker", { profile: "flaky-process" });
    expect(spawned).toContain("process worker, model scripted/primary");
    const pid = /pid (\d+)/.exec(spawned)?.[1];
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 200));
    const out = await callTool("ask_worker", { id: "flaky-process", message: "job three" });
    expect(out).toMatch(/flaky-process fell back from scripted\/primary to scripted\/backup/);
    expect(out).toContain("backup answers: job three");
    expect(modelsAsked("job three")).toEqual(["primary", "backup"]);
    // The failed turn was reverted: the second model got the message once.
    const backup = model.requests.find((r) => r.model === "backup" && r.lastUserText === "job three");
    const asks = backup?.messages.filter(
      (m) => m.role === "user" && JSON.stringify(m.content).includes("job three"),
    );
    expect(asks).toHaveLength(1);
    // The same process answered: it was not respawned.
    const workers = JSON.parse(await callTool("list_workers", { format: "json" })) as {
      id: string;
      pid?: number;
    }[];
    expect(workers.find((w) => w.id === "flaky-process")?.pid).toBe(Number(pid));
  });
});
