import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  type RecordedRequest,
  reply,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// One real OpenCode with the plugin, driven by the scripted model. The host model calls a tool
// when the user's first line is `call <tool> <json>`. Workers (no orchestra tools offered) answer
// `[<role> #<n>] answer to: <first line>`, the role read from the profile prompt in their
// conversation, so each answer shows which profile produced it and is unique.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");
const CALL = /^call (\w+)(?: (\{.*\}))?$/m;
const ROLES: [string, string][] = [
  ["You are the architect and reviewer", "architect"],
  ["You are the implementation specialist", "coder"],
  ["You are the documentation researcher", "docs"],
];
/** The project's orchestrator.json: a hard task limit below the workflow's own. */
const TASK_LIMIT = 300;

let model: ScriptedModel;
let opencode: OpencodeInstance;
let project = "";
let sessionID = "";

function roleOf(request: RecordedRequest): string {
  const text = JSON.stringify(request.messages);
  return ROLES.find(([marker]) => text.includes(marker))?.[1] ?? "unknown";
}

const firstLine = (text: string) => text.split("\n")[0] ?? "";

/** Worker asks (not title requests): the conversation holds a profile prompt and no tool is ours. */
function workerRequests(from: number): RecordedRequest[] {
  return model.requests
    .slice(from)
    .filter((r) => !r.toolNames.includes("run_workflow") && roleOf(r) !== "unknown" && r.reply !== undefined)
    .filter((r) => !JSON.stringify(r.body).includes("Generate a title"));
}

async function prompt(session: string, text: string): Promise<void> {
  const result = await opencode.client.session.prompt({
    sessionID: session,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text }],
  });
  expect(result.error).toBeUndefined();
}

/** Prompt the host so the model calls `tool` with `args`; return the tool's output text. */
async function callTool(
  tool: string,
  args: Record<string, unknown> = {},
  session = sessionID,
): Promise<string> {
  const before = model.requests.length;
  await prompt(session, `call ${tool} ${JSON.stringify(args)}`);
  const followUp = model.requests.slice(before).find((r) => r.lastToolResult?.name === tool);
  expect(followUp, `the model got no result of ${tool}`).toBeDefined();
  return followUp?.lastToolResult?.content ?? "";
}

/** The host model's request for the user message whose first line is `text`. */
function hostRequest(from: number, text: string): RecordedRequest | undefined {
  return model.requests
    .slice(from)
    .find(
      (r) => r.toolNames.includes("run_workflow") && !r.lastToolResult && firstLine(r.lastUserText) === text,
    );
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "orchestra-workflows-"));
  writeFileSync(
    join(project, "orchestrator.json"),
    JSON.stringify({ security: { workflows: { maxTaskChars: TASK_LIMIT } } }),
  );
  model = await startScriptedModel({
    script: rules(
      [
        {
          toolsOffered: "run_workflow",
          userText: CALL,
          reply: (req) => {
            const [, name = "", json] = CALL.exec(req.lastUserText) ?? [];
            return reply.toolCall(name, json ? (JSON.parse(json) as Record<string, unknown>) : {});
          },
        },
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        { toolsOffered: "run_workflow", userText: /.*/, reply: "host reply" },
        {
          when: (req) => !req.toolNames.includes("run_workflow") && roleOf(req) !== "unknown",
          reply: (req) => `[${roleOf(req)} #${req.index}] answer to: ${firstLine(req.lastUserText)}`,
        },
      ],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    // Offline: only the scripted provider counts as connected.
    config: { enabled_providers: ["scripted"] },
  });
  const session = await opencode.client.session.create({ title: "orchestra workflows e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

interface RunJson {
  workflow: string;
  task: string;
  steps: {
    id: string;
    profile: string;
    workerId: string;
    prompt: string;
    output: string;
    carried: boolean;
  }[];
}

describe("workflows and passthrough in a real OpenCode", () => {
  it("registers the workflow and passthrough tools", async () => {
    const ids = await opencode.client.tool.ids();
    for (const name of [
      "list_workflows",
      "run_workflow",
      "set_passthrough",
      "clear_passthrough",
      "enable_docs_passthrough",
    ])
      expect(ids.data).toContain(name);
  });

  it("list_workflows shows the boomerang steps and the effective limits", async () => {
    const out = await callTool("list_workflows");
    expect(out).toContain("roocode-boomerang:");
    expect(out).toMatch(
      /1\. plan \(Plan\) → architect\n {2}2\. implement \(Implement\) → coder\n {2}3\. review/,
    );
    // min(workflow 12000, security 300)
    expect(out).toContain(`maxTaskChars ${TASK_LIMIT}`);
    const json = JSON.parse(await callTool("list_workflows", { format: "json" })) as {
      id: string;
      limits: { maxTaskChars: { value: number; key: string } };
    }[];
    expect(json[0]?.limits.maxTaskChars).toMatchObject({
      value: TASK_LIMIT,
      key: "security.workflows.maxTaskChars",
    });
  });

  it("run_workflow runs plan → implement → review on architect, coder, architect, carrying each answer forward", async () => {
    const before = model.requests.length;
    const task = "add a /health endpoint that reports the worker count";
    const run = JSON.parse(
      await callTool("run_workflow", { workflow: "roocode-boomerang", task, format: "json" }),
    ) as RunJson;
    expect(run.steps.map((s) => [s.id, s.profile, s.workerId])).toEqual([
      ["plan", "architect", "architect"],
      ["implement", "coder", "coder"],
      ["review", "architect", "architect"],
    ]);
    // Each output is what the scripted model answered to that worker, as that profile.
    const asks = workerRequests(before);
    const [plan, implement, review] = run.steps;
    expect(plan?.output).toMatch(/^\[architect #\d+\] answer to: Plan the task below/);
    expect(implement?.output).toMatch(/^\[coder #\d+\] answer to: Implement the task below/);
    expect(review?.output).toMatch(/^\[architect #\d+\] answer to: Review the implementation/);
    const implementAsk = asks.find((r) => r.lastUserText.startsWith("Implement the task below"));
    const reviewAsk = asks.find((r) => r.lastUserText.startsWith("Review the implementation"));
    expect(roleOf(implementAsk as RecordedRequest)).toBe("coder");
    // The task reached every step, and each step got the earlier answers.
    for (const ask of [implementAsk, reviewAsk]) expect(ask?.lastUserText).toContain(task);
    expect(implementAsk?.lastUserText).toContain(`## Plan (architect)\n${plan?.output}`);
    expect(reviewAsk?.lastUserText).toContain(`## Plan (architect)\n${plan?.output}`);
    expect(reviewAsk?.lastUserText).toContain(`## Implement (coder)\n${implement?.output}`);

    // The readable report names each step, worker and answer.
    const text = await callTool("run_workflow", { workflow: "roocode-boomerang", task: "rename foo to bar" });
    expect(text).toMatch(/^Workflow roocode-boomerang: 3 step\(s\) in [\d.]+ s/);
    expect(text).toMatch(
      /## 1\. Plan — architect \(architect, [\d.]+ s\)\n\[architect #\d+\] answer to: Plan/,
    );
    expect(text).toMatch(/## 2\. Implement — coder \(coder, [\d.]+ s\)\n\[coder #\d+\]/);
    expect(text).toMatch(/## 3\. Review — architect/);
  });

  it("run_workflow refuses a task over the limit, naming it and its config key, and an unknown workflow", async () => {
    const before = model.requests.length;
    const out = await callTool("run_workflow", {
      workflow: "roocode-boomerang",
      task: "x".repeat(TASK_LIMIT + 1),
    });
    expect(out).toContain("PLUGIN_WORKFLOW_LIMIT");
    expect(out).toContain(
      `the task is ${TASK_LIMIT + 1} characters long, over the maxTaskChars limit of ${TASK_LIMIT} (security.workflows.maxTaskChars`,
    );
    expect(workerRequests(before)).toEqual([]);
    const unknown = await callTool("run_workflow", { workflow: "waterfall", task: "t" });
    expect(unknown).toContain(
      '[PLUGIN_WORKFLOW_NOT_FOUND] no workflow "waterfall"; workflows: roocode-boomerang',
    );
  });

  it("set_passthrough routes this session's messages to the worker until clear_passthrough", async () => {
    expect(await callTool("set_passthrough", { workerId: "architect" })).toContain(
      "Passthrough is on: the user's next messages in this session go to worker architect",
    );
    let before = model.requests.length;
    await prompt(sessionID, "is this design sound?");
    const forwarded = workerRequests(before).find((r) => r.lastUserText === "is this design sound?");
    expect(forwarded, "the message was not forwarded to the worker").toBeDefined();
    expect(roleOf(forwarded as RecordedRequest)).toBe("architect");
    const answer = `[architect #${forwarded?.index}] answer to: is this design sound?`;
    const host = hostRequest(before, "is this design sound?");
    expect(host?.lastUserText).toContain("[Passthrough is on: this message was sent to worker architect");
    expect(host?.lastUserText).toContain(answer);

    // Another session is not affected.
    const other = (await opencode.client.session.create({ title: "other" })).data?.id ?? "";
    before = model.requests.length;
    await prompt(other, "hello from elsewhere");
    expect(workerRequests(before).some((r) => r.lastUserText === "hello from elsewhere")).toBe(false);

    expect(await callTool("clear_passthrough")).toBe(
      "Passthrough to architect is off; messages in this session come to you again.",
    );
    before = model.requests.length;
    await prompt(sessionID, "and now?");
    expect(workerRequests(before).some((r) => r.lastUserText === "and now?")).toBe(false);
    expect(hostRequest(before, "and now?")?.lastUserText).toBe("and now?");
    expect(await callTool("clear_passthrough")).toBe(
      "Passthrough was not on in this session; nothing to clear.",
    );
  });

  it("set_passthrough to an unknown worker names the workers that exist", async () => {
    const out = await callTool("set_passthrough", { workerId: "nobody" });
    expect(out).toContain("WORKER_NOT_FOUND");
    expect(out).toMatch(/architect \(ready\)/);
  });

  it("enable_docs_passthrough starts the docs worker and routes messages to it", async () => {
    const out = JSON.parse(await callTool("enable_docs_passthrough", { format: "json" })) as {
      workerId: string;
      worker: { profile: string; status: string };
    };
    expect(out).toMatchObject({ workerId: "docs", worker: { profile: "docs", status: "ready" } });
    const before = model.requests.length;
    await prompt(sessionID, "how does fetch handle redirects?");
    const forwarded = workerRequests(before).find(
      (r) => r.lastUserText === "how does fetch handle redirects?",
    );
    expect(roleOf(forwarded as RecordedRequest)).toBe("docs");
    expect(hostRequest(before, "how does fetch handle redirects?")?.lastUserText).toContain(
      `[docs #${forwarded?.index}] answer to: how does fetch handle redirects?`,
    );
    expect(await callTool("clear_passthrough")).toContain("Passthrough to docs is off");
  });
});
