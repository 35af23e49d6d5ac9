import { createServer } from "node:net";
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

// ask_worker and delegate_task to a worker whose model cannot be reached: the tool answers with
// the provider's message and what to check, instead of waiting for the ask's timeout while
// OpenCode retries the provider (about a minute). One real OpenCode with the plugin; the worker's
// provider points at a closed port.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let sessionID = "";

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

/** A port that nothing listens on (bound, read, released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  const scripted = model.providerConfig()[model.providerId];
  if (!scripted) throw new Error("the scripted model has no provider config");
  const port = await closedPort();
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    config: {
      provider: {
        ...model.providerConfig(),
        offline: {
          ...scripted,
          name: "Offline",
          options: { ...scripted.options, baseURL: `http://127.0.0.1:${port}/v1` },
        },
      },
      enabled_providers: ["scripted", "offline"],
    },
  });
  const session = await opencode.client.session.create({ title: "ask fails fast e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

describe("an ask to a worker whose model cannot be reached", () => {
  it("ask_worker answers with the provider's message and what to check, not a timeout", async () => {
    const spawned = await callTool("spawn_worker", {
      profile: "explorer",
      model: "offline/fake-fast",
      format: "json",
    });
    expect(JSON.parse(spawned)).toMatchObject({
      id: "explorer",
      model: "offline/fake-fast",
      status: "ready",
    });
    // Shorter than OpenCode's retries of an unreachable API: waiting for the answer would time out.
    const out = await callTool("ask_worker", { id: "explorer", message: "hello", timeoutMs: 30_000 });
    expect(out).toContain("WORKER_ASK_FAILED");
    expect(out).toContain('worker "explorer" did not answer: its model failed: Cannot connect to API');
    expect(out).not.toContain("timed out");
    expect(out).toContain("orchestra doctor");
  });

  it("delegate_task to that worker fails the same way", async () => {
    const out = await callTool("delegate_task", { task: "say hello", profile: "explorer" });
    expect(out).toContain("Cannot connect to API");
    expect(out).toContain("orchestra doctor");
  });
});
