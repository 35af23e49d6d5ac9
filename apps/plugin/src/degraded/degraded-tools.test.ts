import type { ToolContext } from "@opencode-ai/plugin";
import { ConfigError } from "@orchestra/config";
import { describe, expect, it } from "vitest";
import { allTools, type ToolDeps } from "../tools/index.js";
import { degradedTools } from "./degraded-tools.js";

const problems = new ConfigError("CONFIG_INVALID", [
  {
    file: "/g/orchestrator.json",
    path: "healthCheck.intervalMs",
    problem: "wrong type",
    got: '"often"',
    expected: "number",
  },
  {
    file: "/p/.opencode/orchestrator.json",
    path: "ui.toasts",
    problem: "wrong type",
    got: '"yes"',
    expected: "boolean",
  },
]);
const context = {} as ToolContext;
const tools = degradedTools(problems);

function run(name: string, args: Record<string, unknown> = {}): Promise<unknown> {
  const tool = tools[name];
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.execute(args as never, context);
}

describe("degradedTools", () => {
  it("registers every tool of a valid config, with the same description and arguments", () => {
    const normal = allTools(new Proxy({}, { get: () => undefined }) as ToolDeps);
    expect(Object.keys(tools).sort()).toEqual(Object.keys(normal).sort());
    for (const [name, definition] of Object.entries(normal)) {
      expect(tools[name]?.description).toBe(definition.description);
      expect(Object.keys(tools[name]?.args ?? {})).toEqual(Object.keys(definition.args));
    }
  });

  it("orchestrator_status and orchestrator_config list every error with its file and JSON path", async () => {
    for (const name of ["orchestrator_status", "orchestrator_config"]) {
      const text = String(await run(name));
      expect(text).toMatch(
        /^Open Orchestra runs in degraded mode: the orchestrator config is invalid \(2 config errors\)/,
      );
      expect(text).toContain("Config errors [CONFIG_INVALID]:");
      expect(text).toContain(
        '  /g/orchestrator.json: healthCheck.intervalMs: wrong type (got "often", expected number)',
      );
      expect(text).toContain(
        '  /p/.opencode/orchestrator.json: ui.toasts: wrong type (got "yes", expected boolean)',
      );
      expect(text).toContain("next: fix each error in the file it names");
      expect(text).toContain("`orchestra config validate`");
    }
    expect(JSON.parse(String(await run("orchestrator_status", { format: "json" })))).toMatchObject({
      degraded: true,
      code: "CONFIG_INVALID",
      files: ["/g/orchestrator.json", "/p/.opencode/orchestrator.json"],
      errors: [{ path: "healthCheck.intervalMs" }, { path: "ui.toasts" }],
    });
  });

  it("every other tool fails with [CONFIG_INVALID], the errors and what to do next, and runs nothing", async () => {
    const others = Object.keys(tools).filter(
      (n) => n !== "orchestrator_status" && n !== "orchestrator_config",
    );
    expect(others).toContain("spawn_worker");
    for (const name of others) {
      const error = await run(name, { profile: "coder", id: "coder", message: "hi" }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(
        new RegExp(`^\\[CONFIG_INVALID\\] ${name} did nothing\\. Open Orchestra runs in degraded mode`),
      );
      expect(error?.message).toContain("/p/.opencode/orchestrator.json: ui.toasts: wrong type");
      expect(error?.message).toContain("hint: fix each error in the file it names");
      expect(error?.message).not.toContain("was used, but nothing is built"); // no dependency was touched
    }
  });
});
