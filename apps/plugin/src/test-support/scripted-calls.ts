// Shared by the plugin's end-to-end tests: the scripted model plays the orchestrator's LLM, and a
// user message `call <tool> <json args>` makes it call that tool.
import { type OpencodeInstance, type Rule, reply, type ScriptedModel } from "@orchestra/testkit";
import { expect } from "vitest";

/** `call <tool> <json args>` as a user message. */
const CALL = /^call (\w+)(?: (\{.*\}))?$/s;

/** The script rule that turns a `call <tool> <json args>` user message into that tool call. */
export const callRule: Rule = {
  userText: CALL,
  reply: (req) => {
    const [, name = "", json] = CALL.exec(req.lastUserText ?? "") ?? [];
    return reply.toolCall(name, json ? (JSON.parse(json) as Record<string, unknown>) : {});
  },
};

/** Where a test's tool calls go. */
export interface CallTarget {
  model: ScriptedModel;
  opencode: OpencodeInstance;
  sessionID: string;
}

/** Prompt the session so the model calls `tool` with `args`; return the tool output the model got. */
export async function callToolIn(
  target: CallTarget,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const before = target.model.requests.length;
  const result = await target.opencode.client.session.prompt({
    sessionID: target.sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text: `call ${tool} ${JSON.stringify(args)}` }],
  });
  expect(result.error).toBeUndefined();
  const followUp = target.model.requests.slice(before).find((r) => r.lastToolResult?.name === tool);
  expect(followUp, `the model got no result of ${tool}`).toBeDefined();
  return followUp?.lastToolResult?.content ?? "";
}
