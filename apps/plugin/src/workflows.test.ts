import { type OrchestratorConfigInput, orchestratorConfigSchema } from "@orchestra/config";
import { OrchestraError } from "@orchestra/core";
import { describe, expect, it } from "vitest";
import {
  BOOMERANG_ID,
  effectiveLimits,
  findWorkflow,
  formatRun,
  formatWorkflows,
  renderPrompt,
  runWorkflow,
  type StepWorker,
  type WorkflowHost,
  workflowDefinitions,
} from "./workflows.js";

function config(input: OrchestratorConfigInput = {}) {
  return orchestratorConfigSchema.parse(input);
}

/** A host whose workers answer `<profile> saw: <prompt>` and record every ask. */
function fakeHost(answer?: (profile: string, prompt: string) => string | Promise<string>) {
  const asks: { profile: string; workerId: string; prompt: string; timeoutMs: number | undefined }[] = [];
  const host: WorkflowHost = {
    async spawn(profile) {
      const worker: StepWorker = {
        id: `${profile}-w`,
        async ask(message, options) {
          asks.push({ profile, workerId: `${profile}-w`, prompt: message, timeoutMs: options.timeoutMs });
          const text = answer ? await answer(profile, message) : `${profile} saw: ${message.slice(0, 40)}`;
          return { text, durationMs: 5 };
        },
      };
      return worker;
    },
    suggest: (task) => (task.includes("docs") ? [{ profile: { id: "docs" } }] : []),
  };
  return { host, asks };
}

async function rejection(promise: Promise<unknown>): Promise<OrchestraError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!OrchestraError.isInstance(error)) throw new Error(`expected an OrchestraError, got ${String(error)}`);
  return error;
}

describe("workflow definitions", () => {
  it("has the built-in boomerang: plan (architect) → implement (coder) → review (architect)", () => {
    const [boomerang] = workflowDefinitions(config());
    expect(boomerang?.id).toBe(BOOMERANG_ID);
    expect(boomerang?.steps.map((s) => [s.id, s.profile, s.carry])).toEqual([
      ["plan", "architect", true],
      ["implement", "coder", true],
      ["review", "architect", false],
    ]);
    expect(boomerang?.enabled).toBe(true);
  });

  it("takes steps from workflows.roocodeBoomerang.steps, filling defaults from the built-in step of the same id", () => {
    const [w] = workflowDefinitions(
      config({
        workflows: {
          roocodeBoomerang: {
            steps: [{ id: "plan" }, { id: "research", workerId: "docs", prompt: "R {task}" }],
          },
        },
      }),
    );
    expect(w?.customSteps).toBe(true);
    expect(w?.steps).toMatchObject([
      { id: "plan", title: "Plan", profile: "architect", carry: true },
      { id: "research", title: "research", profile: "docs", prompt: "R {task}", carry: false },
    ]);
  });

  it("limits are min(workflow setting, security hard limit) and name the binding key", () => {
    const limits = effectiveLimits(
      { maxSteps: 10, maxTaskChars: 500, maxCarryChars: 1000, perStepTimeoutMs: 5000 },
      "workflows.roocodeBoomerang",
      { maxSteps: 3, maxTaskChars: 500, maxCarryChars: 2000, perStepTimeoutMs: 9000 },
    );
    expect(limits.maxSteps).toMatchObject({ value: 3, key: "security.workflows.maxSteps" });
    expect(limits.maxTaskChars).toMatchObject({ value: 500, key: "workflows.roocodeBoomerang.maxTaskChars" });
    expect(limits.maxCarryChars).toMatchObject({
      value: 1000,
      key: "workflows.roocodeBoomerang.maxCarryChars",
    });
    expect(limits.perStepTimeoutMs.value).toBe(5000);
  });

  it("findWorkflow names the workflows that exist", () => {
    expect(findWorkflow(config(), "RooCode-Boomerang").id).toBe(BOOMERANG_ID);
    expect(() => findWorkflow(config(), "waterfall")).toThrow(
      /no workflow "waterfall"; workflows: roocode-boomerang/,
    );
  });

  it("list text shows steps, profiles and limits, and a disabled workflow says which key turns it on", () => {
    expect(formatWorkflows(workflowDefinitions(config()))).toMatch(
      /roocode-boomerang: .*\n.*\n {2}1\. plan \(Plan\) → architect\n {2}2\. implement \(Implement\) → coder\n {2}3\. review \(Review\) → architect\n {2}limits: maxSteps 4, maxTaskChars 12000/,
    );
    expect(formatWorkflows(workflowDefinitions(config({ workflows: { enabled: false } })))).toContain(
      "disabled: workflows.enabled is false",
    );
  });
});

describe("renderPrompt", () => {
  it("replaces {task} and {carry} in one pass, leaving placeholders inside the task alone", () => {
    expect(renderPrompt("T={task} C={carry} T2={task}", "do {carry}", "prev")).toBe(
      "T=do {carry} C=prev T2=do {carry}",
    );
    expect(renderPrompt("{carry}", "x", "")).toBe("(nothing yet: this is the first step)");
  });
});

describe("runWorkflow", () => {
  it("runs the steps in order on their profiles and carries each output forward", async () => {
    const { host, asks } = fakeHost();
    const events: string[] = [];
    const run = await runWorkflow(host, findWorkflow(config(), BOOMERANG_ID), "add a health endpoint", {
      onStep: (e) => events.push(`${e.index + 1}/${e.total} ${e.step.id} ${e.phase}`),
    });
    expect(asks.map((a) => a.profile)).toEqual(["architect", "coder", "architect"]);
    expect(asks.every((a) => a.prompt.includes("add a health endpoint"))).toBe(true);
    expect(asks.every((a) => a.timeoutMs === 120_000)).toBe(true);
    // The implement step gets the plan; the review step gets the plan and the implementation.
    expect(asks[1]?.prompt).toContain(`## Plan (architect-w)\n${run.steps[0]?.output}`);
    expect(asks[2]?.prompt).toContain(`## Plan (architect-w)\n${run.steps[0]?.output}`);
    expect(asks[2]?.prompt).toContain(`## Implement (coder-w)\n${run.steps[1]?.output}`);
    expect(run.steps.map((s) => [s.id, s.workerId, s.carried])).toEqual([
      ["plan", "architect-w", true],
      ["implement", "coder-w", true],
      ["review", "architect-w", false],
    ]);
    expect(events).toEqual([
      "1/3 plan start",
      "1/3 plan done",
      "2/3 implement start",
      "2/3 implement done",
      "3/3 review start",
      "3/3 review done",
    ]);
    expect(formatRun(run)).toMatch(
      /^Workflow roocode-boomerang: 3 step\(s\) in [\d.]+ s\n\n## 1\. Plan — architect-w \(architect, /,
    );
  });

  it("a step without workerId gets its profile by discovery", async () => {
    const { host, asks } = fakeHost();
    const wf = findWorkflow(
      config({ workflows: { roocodeBoomerang: { steps: [{ id: "look-up", title: "Read the docs" }] } } }),
      BOOMERANG_ID,
    );
    await runWorkflow(host, wf, "how does X work");
    expect(asks.map((a) => a.profile)).toEqual(["docs"]);
  });

  it("refuses more steps than min(maxSteps), naming the binding key", async () => {
    const { host, asks } = fakeHost();
    const wf = findWorkflow(config({ security: { workflows: { maxSteps: 2 } } }), BOOMERANG_ID);
    const error = await rejection(runWorkflow(host, wf, "task"));
    expect(error.code).toBe("PLUGIN_WORKFLOW_LIMIT");
    expect(error.message).toBe(
      "workflow roocode-boomerang has 3 steps, over the maxSteps limit of 2 (security.workflows.maxSteps; workflows.roocodeBoomerang.maxSteps is 4)",
    );
    expect(asks).toEqual([]);
  });

  it("refuses a task longer than maxTaskChars before any step runs", async () => {
    const { host, asks } = fakeHost();
    const wf = findWorkflow(config({ workflows: { roocodeBoomerang: { maxTaskChars: 100 } } }), BOOMERANG_ID);
    const error = await rejection(runWorkflow(host, wf, "x".repeat(101)));
    expect(error.code).toBe("PLUGIN_WORKFLOW_LIMIT");
    expect(error.message).toContain("the task is 101 characters long, over the maxTaskChars limit of 100");
    expect(error.message).toContain("workflows.roocodeBoomerang.maxTaskChars");
    expect(error.hints.join("\n")).toContain("raise workflows.roocodeBoomerang.maxTaskChars");
    expect(asks).toEqual([]);
  });

  it("stops when the carried text would exceed maxCarryChars, saying which steps finished", async () => {
    const { host, asks } = fakeHost((profile) => (profile === "coder" ? "y".repeat(150) : "short plan"));
    const wf = findWorkflow(
      config({ workflows: { roocodeBoomerang: { maxCarryChars: 150 } } }),
      BOOMERANG_ID,
    );
    const error = await rejection(runWorkflow(host, wf, "task"));
    expect(error.code).toBe("PLUGIN_WORKFLOW_LIMIT");
    expect(error.message).toMatch(/^after step implement the carried text is \d+ characters/);
    expect(error.message).toContain("maxCarryChars limit of 150 (workflows.roocodeBoomerang.maxCarryChars");
    expect(error.message).toContain("finished: plan (architect-w), implement (coder-w)");
    expect(asks).toHaveLength(2);
  });

  it("a step that times out names the step and the perStepTimeoutMs key", async () => {
    const { host } = fakeHost((profile) => {
      if (profile === "coder")
        throw new DemoError("WORKER_ASK_FAILED", 'worker "coder" did not answer: timed out after 1000 ms');
      return "plan";
    });
    const wf = findWorkflow(config({ security: { workflows: { perStepTimeoutMs: 1000 } } }), BOOMERANG_ID);
    const error = await rejection(runWorkflow(host, wf, "task"));
    expect(error.code).toBe("PLUGIN_WORKFLOW_STEP_FAILED");
    expect(error.message).toContain("step implement on coder failed (finished: plan (architect-w))");
    expect(error.hints[0]).toContain("perStepTimeoutMs, set by security.workflows.perStepTimeoutMs");
  });

  it("a disabled workflow is refused with the key that turns it on", async () => {
    const { host } = fakeHost();
    const wf = findWorkflow(config({ workflows: { roocodeBoomerang: { enabled: false } } }), BOOMERANG_ID);
    const error = await rejection(runWorkflow(host, wf, "task"));
    expect(error.code).toBe("PLUGIN_WORKFLOW_DISABLED");
    expect(error.hints[0]).toContain("workflows.roocodeBoomerang.enabled");
  });
});

class DemoError extends OrchestraError<"WORKER_ASK_FAILED"> {}
