// Runs the tool reference's example calls that need no worker and no OpenCode server, in process,
// against real dependencies (an embedded memory store, a job journal, the loaded config, the
// activity log), and compares each answer with the documented output (times and temporary paths
// normalised). The examples of tools that drive workers are exercised by the e2e tests, not here.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolDefinition } from "@opencode-ai/plugin";
import { loadConfig, orchestratorConfigSchema } from "@orchestra/config";
import { type Orchestra, openJobJournal } from "@orchestra/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Activity } from "../src/activity.js";
import { MemoryAccess, USER_SESSION } from "../src/memory.js";
import { PassthroughRoutes } from "../src/passthrough.js";
import { diagnosticTools } from "../src/tools/diagnostics.js";
import { memoryTools } from "../src/tools/memory.js";
import { passthroughTools } from "../src/tools/passthrough.js";
import { TOOL_REFERENCES } from "../src/tools/references.js";
import { usageTools } from "../src/tools/usage.js";
import { workflowTools } from "../src/tools/workflows.js";
import { exampleContext, runToolExample } from "./tool-example-run.js";

let dir = "";
const closers: (() => unknown)[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "orchestra-tool-examples-"));
});
afterAll(async () => {
  for (const close of closers) await close();
  rmSync(dir, { recursive: true, force: true });
});

/** Times vary from run to run. */
function normalise(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>");
}

const runExample = (tools: Record<string, ToolDefinition>, name: string) =>
  runToolExample(tools, name, normalise);

/** The tools whose examples this file runs. */
const RUN_HERE = [
  "memory_put",
  "memory_search",
  "memory_recent",
  "memory_link",
  "memory_forget",
  "usage",
  "list_workflows",
  "clear_passthrough",
  "orchestrator_config",
  "orchestrator_output",
  "orchestrator_results",
];

describe("the tool reference's examples, run in process", () => {
  it("memory: put, search, recent, link and forget answer as documented (a real embedded store)", async () => {
    const config = orchestratorConfigSchema.parse({
      memory: { embedded: { path: join(dir, "memory.db") } },
    }).memory;
    const access = new MemoryAccess(config, "/project", () => USER_SESSION);
    closers.push(() => access.close());
    const tools = memoryTools(access, new Activity());
    for (const name of ["memory_put", "memory_search", "memory_recent"]) await runExample(tools, name);
    // The link's other end (set up here; not an example).
    await (tools.memory_put as ToolDefinition).execute(
      { key: "decision/sqlite-wal", value: "The SQLite store runs in WAL mode.", tags: ["decision"] },
      exampleContext,
    );
    for (const name of ["memory_link", "memory_forget"]) await runExample(tools, name);
  });

  it("usage answers as documented over an empty job journal", async () => {
    const journal = openJobJournal({ file: join(dir, "jobs.db") });
    closers.push(() => journal.close());
    const orchestra = { journal: () => journal } as unknown as Pick<Orchestra, "journal">;
    await runExample(usageTools(orchestra), "usage");
  });

  it("list_workflows answers as documented with the default config", async () => {
    const orchestra = { config: orchestratorConfigSchema.parse({}) } as unknown as Orchestra;
    await runExample(workflowTools(orchestra, new Activity()), "list_workflows");
  });

  it("clear_passthrough answers as documented in a session without passthrough", async () => {
    const tools = passthroughTools({} as Orchestra, new PassthroughRoutes(), new Activity());
    await runExample(tools, "clear_passthrough");
  });

  it("orchestrator_config, orchestrator_output and orchestrator_results answer as documented", async () => {
    const loaded = await loadConfig({ projectDir: join(dir, "project"), home: join(dir, "home"), env: {} });
    const tools = diagnosticTools(
      {} as Orchestra,
      new Activity(),
      loaded,
      Promise.resolve({ password: false }) as never,
    );
    for (const name of ["orchestrator_config", "orchestrator_output", "orchestrator_results"])
      await runExample(tools, name);
  });

  it("covers the examples it names", () => {
    expect(RUN_HERE.every((name) => TOOL_REFERENCES[name] !== undefined)).toBe(true);
    console.log(`tool examples: ${RUN_HERE.length} of ${Object.keys(TOOL_REFERENCES).length} run in process`);
  });
});
