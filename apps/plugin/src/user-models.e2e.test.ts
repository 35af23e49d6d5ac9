import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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

// Workers use the user's models (issue 13, finding 4). OpenCode's built-in `opencode` provider counts
// as connected even offline; here it is NOT restricted away (no enabled_providers), as in a user's
// own OpenCode. The user's default model is scripted/fake-reasoner.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let project = "";
let sessionID = "";

interface ResolveAnswer {
  ok: boolean;
  model?: string;
  reasons?: string[];
}

async function resolveJson(ref: string): Promise<ResolveAnswer> {
  const out = await callToolIn({ model, opencode, sessionID }, "resolve_model", { ref, format: "json" });
  return JSON.parse(out) as ResolveAnswer;
}

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "orchestra-user-models-e2e-"));
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    modelId: "fake-reasoner",
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
  });
  const session = await opencode.client.session.create({ title: "orchestra user models e2e" });
  sessionID = session.data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("workers use the user's models", () => {
  it("OpenCode itself counts its built-in provider as connected (the trap)", async () => {
    const providers = await opencode.client.provider.list();
    expect(providers.data?.connected).toContain("opencode");
  });

  it("auto is the user's default model", async () => {
    const r = await resolveJson("auto");
    expect(r).toMatchObject({ ok: true, model: "scripted/fake-reasoner" });
    expect(r.reasons?.join("\n")).toContain('the session default model "scripted/fake-reasoner" is usable');
  });

  it("auto tags choose only among the user's providers, never the built-in free one", async () => {
    for (const tag of ["auto:code", "auto:fast", "auto:docs", "auto:vision"]) {
      const r = await resolveJson(tag);
      expect(r.ok).toBe(true);
      expect(r.model).toMatch(/^scripted\//);
    }
  });
});
