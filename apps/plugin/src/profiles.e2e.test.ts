import { echoScript, rules, type ScriptedModel, startScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PluginServer, startPluginServer } from "./test-support/plugin-server.js";
import { callRule } from "./test-support/scripted-calls.js";

// A profile that extends a built-in, spawned in a real OpenCode: the worker gets the merged
// prompt (inherited), model (overridden) and permissions (narrowed), and a markdown profile
// from .opencode/agent/ is loaded and validated like config.
let model: ScriptedModel;
let server: PluginServer;

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return server.callTool(tool, args);
}

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  server = await startPluginServer({
    name: "profiles",
    model,
    orchestrator: {
      profiles: [
        {
          id: "safe-coder",
          extends: "coder",
          model: "scripted/fake-fast",
          tags: ["careful"],
          permissions: { categories: { execution: "none", network: "none" } },
        },
      ],
    },
    files: {
      ".opencode/agent/changelog-writer.md":
        "---\nname: changelog-writer\ndescription: Writes changelog entries\nkind: session\nmodel: scripted/fake-fast\n---\n\nYou write crisp changelog entries.\n",
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await model?.close();
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
