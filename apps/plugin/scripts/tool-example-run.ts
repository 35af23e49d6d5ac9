// Shared by the tests that run the tool reference's example calls in process: the tool context an
// example runs with, and one example run compared with its documented output.
import type { ToolContext, ToolDefinition } from "@opencode-ai/plugin";
import { expect } from "vitest";
import { TOOL_REFERENCES } from "../src/tools/references.js";

/** The context every example runs with (the session and project the reference's outputs name). */
export const exampleContext = {
  sessionID: "ses_example",
  messageID: "msg_example",
  agent: "build",
  directory: "/project",
  worktree: "/project",
  abort: new AbortController().signal,
  metadata: () => undefined,
  ask: async () => undefined,
} satisfies ToolContext;

/**
 * Run `name`'s documented example call with `tools[name]` and expect its documented output, both
 * passed through `normalise` (times, paths and other things that vary from run to run).
 */
export async function runToolExample(
  tools: Record<string, ToolDefinition>,
  name: string,
  normalise: (text: string) => string,
): Promise<void> {
  const def = tools[name];
  const ref = TOOL_REFERENCES[name];
  if (!def || !ref) throw new Error(`no tool or reference ${name}`);
  const output = await (def.execute as (a: unknown, c: ToolContext) => Promise<string>)(
    ref.example.args,
    exampleContext,
  );
  expect(normalise(output), `${name}'s documented example output`).toBe(normalise(ref.example.output));
}
