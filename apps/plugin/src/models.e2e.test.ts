import { echoScript, rules, type ScriptedModel, startScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "./test-support/plugin-server.js";
import { callRule } from "./test-support/scripted-calls.js";

// One real OpenCode with the plugin loaded, for the model tools. The scripted model calls a tool
// when the user text is `call <tool> <json args>`; the tool's output comes back in its next request.
// The project config adds an alias, a capability override, a bad alias (caught against the live
// catalog) and an alias cycle (caught at start, without a catalog).
const orchestratorConfig = {
  modelAliases: { quick: "scripted/fake-fast", typo: "scripted/fake-fsat", loop1: "loop2", loop2: "loop1" },
  // fake-no-tools has no tool calls, so no auto tag can pick it whatever this says.
  capabilityOverrides: { "scripted/fake-no-tools": { reasoning: true } },
};

let model: ScriptedModel;
let server: PluginServer;

/** Prompt the host so the model calls `tool` with `args`; return the tool's output text. */
function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return server.callTool(tool, args);
}

async function callJson<T>(tool: string, args: Record<string, unknown> = {}): Promise<T> {
  const out = await callTool(tool, { ...args, format: "json" });
  try {
    return JSON.parse(out) as T;
  } catch {
    throw new Error(`${tool} did not answer JSON: ${out}`);
  }
}

interface ModelRow {
  model: string;
  connected: boolean;
  capabilities: { vision: boolean; reasoning: boolean; toolCall: boolean; sources: Record<string, string> };
  cost: { input: number; inputPer1k: number } | null;
}
interface ResolveAnswer {
  ok: boolean;
  model?: string;
  provenance?: string;
  tag?: string;
  reasons?: string[];
  rejected?: { model: string; reason: string }[];
  code?: string;
  message?: string;
  suggestions?: string[];
}
interface ProfileRow {
  id: string;
  kind?: string;
  purpose?: string;
  whenToUse?: string;
  model?: string;
  modelOverride?: string;
  resolvedModel?: string;
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
  server = await startPluginServer({ name: "models", model, orchestrator: orchestratorConfig });
});

afterAll(async () => {
  await server?.stop();
  await model?.close();
});

describe("the model tools in a real OpenCode", () => {
  it("registers them", async () => {
    const ids = await server.opencode.client.tool.ids();
    for (const name of [
      "list_profiles",
      "list_models",
      "resolve_model",
      "set_profile_model",
      "reset_profile_models",
    ])
      expect(ids.data).toContain(name);
  });

  it("list_profiles shows purpose, when to use, kind, configured and resolved model", async () => {
    const rows = await callJson<ProfileRow[]>("list_profiles");
    const vision = rows.find((r) => r.id === "vision");
    expect(vision).toMatchObject({
      kind: "process",
      model: "auto:vision",
      resolvedModel: "scripted/fake-vision",
    });
    expect(vision?.purpose?.length).toBeGreaterThan(10);
    expect(vision?.whenToUse?.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(["coder", "explorer", "docs"]));
    const text = await callTool("list_profiles");
    expect(text).toContain("vision (process worker): model auto:vision, then auto → scripted/fake-vision");
    expect(text).toMatch(/ {2}when to use: \S/);
  });

  it("list_models lists the connected chat models and filters by capability", async () => {
    const all = await callJson<{ total: number; models: ModelRow[] }>("list_models");
    expect(all.models.map((m) => m.model).sort()).toEqual([
      "scripted/fake-fast",
      "scripted/fake-no-tools",
      "scripted/fake-reasoner",
      "scripted/fake-unpriced",
      "scripted/fake-vision",
    ]);
    expect(all.total).toBe(5);
    expect(all.models.every((m) => m.connected)).toBe(true);

    const vision = await callJson<{ models: ModelRow[] }>("list_models", { vision: true });
    expect(vision.models.map((m) => m.model)).toEqual(["scripted/fake-vision"]);

    // capabilityOverrides from the project config reach the resolver, and say so.
    const reasoning = await callJson<{ models: ModelRow[] }>("list_models", { reasoning: true });
    expect(reasoning.models.map((m) => m.model).sort()).toEqual([
      "scripted/fake-no-tools",
      "scripted/fake-reasoner",
    ]);
    const overridden = reasoning.models.find((m) => m.model === "scripted/fake-no-tools");
    expect(overridden?.capabilities.sources.reasoning).toBe("override");
    const withTools = await callJson<{ models: ModelRow[] }>("list_models", { reasoning: true, tools: true });
    expect(withTools.models.map((m) => m.model)).toEqual(["scripted/fake-reasoner"]);

    const text = await callTool("list_models", { reasoning: true });
    expect(text).toMatch(/scripted\/fake-no-tools\s+reasoning \(override: reasoning\)/);
    expect(text).toContain("USD per 1M tokens");
  });

  it("list_models caps the input price per 1k tokens (the catalog is per 1M)", async () => {
    // $0.0005 per 1k = $0.5 per 1M: fake-fast ($0.1/1M) passes, fake-vision ($1/1M) does not.
    const cheap = await callJson<{ models: ModelRow[] }>("list_models", { maxCostPer1kTokens: 0.0005 });
    const refs = cheap.models.map((m) => m.model);
    expect(refs).toContain("scripted/fake-fast");
    expect(refs).not.toContain("scripted/fake-vision");
    expect(refs).not.toContain("scripted/fake-reasoner");
    for (const m of cheap.models) expect(m.cost?.inputPer1k).toBeLessThanOrEqual(0.0005);
    expect(await callTool("list_models", { vision: true, maxCostPer1kTokens: 0.0001 })).toContain(
      "No model matches",
    );
  });

  it("resolve_model shows the model, provenance, reasons and rejected candidates", async () => {
    const r = await callJson<ResolveAnswer>("resolve_model", { ref: "auto:vision" });
    expect(r).toMatchObject({
      ok: true,
      model: "scripted/fake-vision",
      provenance: "auto-tag",
      tag: "auto:vision",
    });
    expect(r.reasons?.length).toBeGreaterThan(0);
    const fast = r.rejected?.find((x) => x.model === "scripted/fake-fast");
    expect(fast?.reason).toMatch(/image/);

    const alias = await callJson<ResolveAnswer>("resolve_model", { ref: "quick" });
    expect(alias).toMatchObject({ ok: true, model: "scripted/fake-fast", provenance: "alias" });

    const text = await callTool("resolve_model", { ref: "auto:vision" });
    expect(text).toContain("scripted/fake-vision  (auto-tag, auto:vision");
    expect(text).toContain("why:");
    expect(text).toMatch(/rejected \(\d+ of \d+ shown\):\n {2}- scripted\//);
  });

  it("resolve_model on an unknown model gives the code and real suggestions", async () => {
    const r = await callJson<ResolveAnswer>("resolve_model", { ref: "scripted/fake-fsat" });
    expect(r).toMatchObject({ ok: false, code: "RESOLVER_UNKNOWN_MODEL" });
    expect(r.suggestions).toContain("scripted/fake-fast");
    expect(r.suggestions).not.toContain("scripted/fake-fsat");
    const text = await callTool("resolve_model", { ref: "scripted/fake-fsat" });
    expect(text).toContain("[RESOLVER_UNKNOWN_MODEL]");
    expect(text).toMatch(/Did you mean: .*scripted\/fake-fast/);
  });

  it("resolve_model on an unknown provider gives the code and real suggestions", async () => {
    const r = await callJson<ResolveAnswer>("resolve_model", { ref: "scriptd/fake-fast" });
    expect(r).toMatchObject({ ok: false, code: "RESOLVER_UNKNOWN_PROVIDER" });
    expect(r.suggestions).toContain("scripted/fake-fast");
    expect(await callTool("resolve_model", { ref: "scriptd/fake-fast" })).toContain('provider "scripted"');
  });

  it("resolve_model falls back along a chain and says so", async () => {
    const r = await callJson<ResolveAnswer & { attempts: { ref: string; code: string }[] }>("resolve_model", {
      ref: "scripted/nope",
      fallbacks: ["quick"],
    });
    expect(r).toMatchObject({ ok: true, model: "scripted/fake-fast", provenance: "fallback" });
    expect(r.attempts).toEqual([
      expect.objectContaining({ ref: "scripted/nope", code: "RESOLVER_UNKNOWN_MODEL" }),
    ]);
  });

  it("set_profile_model refuses what does not resolve or does not fit the profile, and changes nothing", async () => {
    const unknown = await callTool("set_profile_model", { profile: "coder", model: "scripted/fake-fsat" });
    expect(unknown).toContain("[RESOLVER_UNKNOWN_MODEL]");
    expect(unknown).toMatch(/Did you mean: .*scripted\/fake-fast/);
    const noVision = await callTool("set_profile_model", { profile: "vision", model: "scripted/fake-fast" });
    expect(noVision).toContain("[RESOLVER_CAPABILITY_UNMET]");
    expect(noVision).toContain("scripted/fake-vision");
    const unknownProfile = await callTool("set_profile_model", { profile: "codr", model: "quick" });
    expect(unknownProfile).toContain("PROFILE_NOT_FOUND");
    const rows = await callJson<ProfileRow[]>("list_profiles");
    expect(rows.filter((r) => r.modelOverride !== undefined)).toEqual([]);
  });

  it("spawn_worker for the vision profile lands on the vision-capable model", async () => {
    const info = JSON.parse(await callTool("spawn_worker", { profile: "vision", format: "json" })) as {
      id: string;
      model: string;
    };
    expect(info.model).toBe("scripted/fake-vision");
    expect(await callTool("stop_worker", { id: info.id })).toBe(`Worker ${info.id} stopped.`);
  });

  it("set_profile_model coder scripted/fake-fast: the next coder worker runs on fake-fast", async () => {
    const before = await callJson<ResolveAnswer>("resolve_model", { profile: "coder" });
    expect(before.ok).toBe(true);
    expect(before.model).not.toBe("scripted/fake-fast");

    const set = await callJson<{ profile: string; resolvedModel: string; previous: string | null }>(
      "set_profile_model",
      { profile: "coder", model: "scripted/fake-fast" },
    );
    expect(set).toMatchObject({ profile: "coder", resolvedModel: "scripted/fake-fast", previous: null });
    const rows = await callJson<ProfileRow[]>("list_profiles");
    expect(rows.find((r) => r.id === "coder")).toMatchObject({
      modelOverride: "scripted/fake-fast",
      resolvedModel: "scripted/fake-fast",
    });
    expect(await callJson<ResolveAnswer>("resolve_model", { profile: "coder" })).toMatchObject({
      ok: true,
      model: "scripted/fake-fast",
      provenance: "explicit",
    });

    const info = JSON.parse(await callTool("spawn_worker", { profile: "coder", format: "json" })) as {
      id: string;
      model: string;
    };
    expect(info.model).toBe("scripted/fake-fast");
    // The worker really prompts fake-fast.
    const sent = model.requests.length;
    expect(await callTool("ask_worker", { id: info.id, message: "which model are you?" })).toContain(
      "worker answer to: which model are you?",
    );
    const workerCall = model.requests
      .slice(sent)
      .find((r) => r.lastUserText === "which model are you?" && r.lastToolResult === undefined);
    expect(workerCall?.model).toBe("fake-fast");

    // Another set affects later spawns only, and names the running worker that keeps its model.
    const again = await callTool("set_profile_model", { profile: "coder", model: "auto:reasoning" });
    expect(again).toContain('New coder workers will use scripted/fake-reasoner (from "auto:reasoning")');
    expect(again).toContain(`Running coder workers keep their model (${info.id}: scripted/fake-fast)`);
    expect(await callTool("stop_worker", { id: info.id })).toBe(`Worker ${info.id} stopped.`);
  });

  it("reset_profile_models clears one profile or all", async () => {
    // Independent of the test before: set two profiles here.
    await callTool("set_profile_model", { profile: "coder", model: "auto:reasoning" });
    await callTool("set_profile_model", { profile: "docs", model: "quick" });
    const one = await callJson<{ cleared: { profile: string; model: string }[] }>("reset_profile_models", {
      profile: "coder",
    });
    expect(one.cleared).toEqual([{ profile: "coder", model: "auto:reasoning" }]);
    const coder = await callJson<ResolveAnswer>("resolve_model", { profile: "coder" });
    expect(coder.model).not.toBe("scripted/fake-fast");
    expect(await callTool("reset_profile_models", { profile: "coder" })).toContain("coder had no model set");
    expect(await callTool("reset_profile_models")).toBe("Back to their configured models: docs (was quick).");
    expect(await callTool("reset_profile_models")).toBe("No profile had a model set; nothing to reset.");
  });

  it("model config mistakes are surfaced with their JSON path: at start in the log, with the catalog in status", async () => {
    const status = await callTool("orchestrator_status");
    expect(status).toContain("error at modelAliases.typo: [RESOLVER_UNKNOWN_MODEL]");
    expect(status).toMatch(/modelAliases\.typo: .*did you mean: .*scripted\/fake-fast/);
    expect(status).toContain("error at modelAliases.loop1: [RESOLVER_ALIAS_CYCLE]");
    const json = await callJson<{ modelConfigIssues: { path: string; code: string; severity: string }[] }>(
      "orchestrator_status",
    );
    expect(json.modelConfigIssues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "modelAliases.typo",
          code: "RESOLVER_UNKNOWN_MODEL",
          severity: "error",
        }),
      ]),
    );
    expect(await callTool("orchestrator_output", { limit: 200 })).toContain(
      "model config error at modelAliases.loop1: [RESOLVER_ALIAS_CYCLE]",
    );
  });
});
