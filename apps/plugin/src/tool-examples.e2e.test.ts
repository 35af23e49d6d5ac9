// Runs the tool reference's examples of the tools that drive workers (src/tools/*.reference.ts) in a
// real OpenCode with the plugin, driven by the scripted model: the orchestrator's model calls each
// tool with the example's arguments, in order (spawn, ask, async job, delegate, passthrough, stop),
// against a real process worker, and each answer must be the documented output (job ids, pids and
// ports normalised). The examples that need no worker run in process (scripts/tool-examples*.test.ts).
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
import { TOOL_REFERENCES } from "./tools/references.js";

const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

/** What the workers answer, by the example's message. */
const ANSWERS: Readonly<Record<string, string>> = {
  "Reply with the word pong.": "pong",
  "Summarise src/index.ts.": "src/index.ts re-exports the plugin and its options.",
  "Write a unit test for the parser.": "Added parser.test.ts with 4 cases.",
};

/** A message the workers answer slowly. */
const SLOW = "Summarise the whole repository.";

let model: ScriptedModel;
let opencode: OpencodeInstance;
let sessionID = "";

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        // Every step of the workflow example (its prompt carries the task).
        { userText: /Add a --verbose flag\./, toolsOffered: true, reply: "Done." },
        // A job slow enough to cancel or steer while the worker writes it.
        {
          userText: SLOW,
          toolsOffered: true,
          reply: { type: "text", text: "lorem ipsum ".repeat(40), chunkSize: 12, chunkDelayMs: 100 },
        },
        {
          userText: /.*/,
          reply: (req) => ANSWERS[(req.lastUserText ?? "").trim()] ?? `answer to: ${req.lastUserText}`,
        },
      ],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
  const session = await opencode.client.session.create({ title: "tool examples" });
  sessionID = session.data?.id ?? "";
}, 240_000);

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

/** Job ids, pids, ports and the abort's duration differ from run to run. */
function normalise(text: string): string {
  return text
    .replace(/job-[0-9a-f]{8}/g, "job-<id>")
    .replace(/aborted in \d+ ms/g, "aborted in <n> ms")
    .replace(/\d+\.\d s\b/g, "<n> s")
    .replace(/\bpid \d+/g, "pid <pid>")
    .replace(/\bport \d+/g, "port <port>");
}

/** In this order: each example works on what the one before it left. */
const RUN_HERE = [
  "spawn_worker",
  "ask_worker",
  "ask_worker_async",
  "await_worker_job",
  "get_worker_job",
  "delegate_task",
  "cancel_worker_job",
  "steer_worker",
  "set_passthrough",
  "enable_docs_passthrough",
  "run_workflow",
  "stop_worker",
];

/** Start a slow job on coder and wait until its model is writing it: cancel and steer act on it. */
async function slowJob(): Promise<void> {
  const before = model.requests.length;
  const started = await callToolIn({ model, opencode, sessionID }, "ask_worker_async", {
    id: "coder",
    message: SLOW,
  });
  lastJob = /job-[0-9a-f]{8}/.exec(started)?.[0] ?? "";
  while (!model.requests.slice(before).some((r) => r.lastUserText === SLOW && r.toolNames.length > 0))
    await new Promise((resolve) => setTimeout(resolve, 50));
}

/** What an example assumes, set up right before it. */
const BEFORE: Readonly<Record<string, () => Promise<void>>> = {
  cancel_worker_job: slowJob,
  steer_worker: slowJob,
};

/** What an example leaves to finish before the next one. */
const AFTER: Readonly<Record<string, () => Promise<unknown>>> = {
  steer_worker: () => callToolIn({ model, opencode, sessionID }, "await_worker_job", { jobId: lastJob }),
};

describe("the tool reference's worker examples, run in a real OpenCode", () => {
  for (const name of RUN_HERE)
    it(`${name} answers as documented`, async () => {
      const ref = TOOL_REFERENCES[name];
      if (!ref) throw new Error(`no reference for ${name}`);
      await BEFORE[name]?.();
      const args = JSON.parse(
        normalise(JSON.stringify(ref.example.args)).replace("job-<id>", lastJob),
      ) as Record<string, unknown>;
      // Passthrough routes the session's next messages to the worker: it gets a session of its own.
      const session =
        name === "set_passthrough" || name === "enable_docs_passthrough"
          ? ((await opencode.client.session.create({ title: "passthrough example" })).data?.id ?? "")
          : sessionID;
      const output = await callToolIn({ model, opencode, sessionID: session }, name, args);
      lastJob = /job-[0-9a-f]{8}/.exec(output)?.[0] ?? lastJob;
      expect(normalise(output)).toBe(normalise(ref.example.output));
      await AFTER[name]?.();
    }, 180_000);
});

/** The job the last example started, for the next example's `jobId`. */
let lastJob = "";
