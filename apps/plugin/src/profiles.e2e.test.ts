import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

// A profile that extends a built-in, spawned in a real OpenCode: the worker gets the merged
// prompt (inherited), model (overridden) and permissions (narrowed), and a markdown profile
// from .opencode/agent/ is loaded and validated like config.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");
const root = mkdtempSync(join(tmpdir(), "orchestra-profiles-e2e-"));
const project = join(root, "project");

let model: ScriptedModel;
let opencode: OpencodeInstance;
let sessionID = "";

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

beforeAll(async () => {
  mkdirSync(join(project, ".opencode", "agent"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({
      profiles: [
        {
          id: "safe-coder",
          extends: "coder",
          model: "scripted/fake-fast",
          tags: ["careful"],
          permissions: { categories: { execution: "none", network: "none" } },
        },
      ],
    }),
  );
  writeFileSync(
    join(project, ".opencode", "agent", "changelog-writer.md"),
    "---\nname: changelog-writer\ndescription: Writes changelog entries\nkind: session\nmodel: scripted/fake-fast\n---\n\nYou write crisp changelog entries.\n",
  );
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    directory: project,
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
  sessionID = (await opencode.client.session.create({ title: "profiles e2e" })).data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("profiles in a real OpenCode", () => {
  it("lists the config profile and the markdown profile beside the built-ins", async () => {
    const out = await callTool("list_profiles", { format: "json" });
    const ids = (JSON.parse(out) as { id: string }[]).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(["coder", "safe-coder", "changelog-writer"]));
  });

  it("a profile extending coder runs with the inherited prompt, its own model and narrowed permissions", async () => {
    const spawned = JSON.parse(await callTool("spawn_worker", { profile: "safe-coder", format: "json" })) as {
      kind: string;
      model: string;
    };
    // kind inherited from coder, model overridden by the child.
    expect(spawned).toMatchObject({ kind: "process", model: "scripted/fake-fast" });

    const before = model.requests.length;
    await callTool("ask_worker", {
      id: "safe-coder",
      message: 'call bash {"command":"ls","description":"list"}',
    });
    const inWorker = model.requests.slice(before).find((r) => r.lastUserText?.startsWith("call bash"));
    // The inherited system prompt of coder reached the worker's conversation.
    const prompt = "You are the implementation specialist of an Open Orchestra team";
    expect(JSON.stringify(inWorker?.body).includes(prompt)).toBe(true);
    // The child's execution: none (narrower than coder's sandboxed shell) reaches the worker's own
    // OpenCode permission config: the shell tool is not even offered to its model.
    expect(inWorker?.toolNames).toContain("read");
    expect(inWorker?.toolNames).not.toContain("bash");
  });

  it("a markdown profile becomes a session worker with its body as the prompt", async () => {
    const spawned = JSON.parse(
      await callTool("spawn_worker", { profile: "changelog-writer", format: "json" }),
    ) as {
      kind: string;
    };
    expect(spawned.kind).toBe("session");
    const before = model.requests.length;
    await callTool("ask_worker", { id: "changelog-writer", message: "summarise the release" });
    const asked = model.requests.slice(before).find((r) => r.lastUserText === "summarise the release");
    expect(JSON.stringify(asked?.body).includes("You write crisp changelog entries.")).toBe(true);
  });
});
