// A tiny OpenCode plugin for the testkit's proof test. It exports only plugin functions
// (OpenCode calls every export). Its tool writes a marker file and returns a unique value.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { tool } from "@opencode-ai/plugin";

export const TestkitEchoPlugin = async ({ directory }) => ({
  tool: {
    testkit_echo: tool({
      description: "Echo text back with a marker. Use it when asked to echo something through the testkit.",
      args: { text: tool.schema.string().describe("The text to echo") },
      async execute(args, context) {
        appendFileSync(
          join(directory, "testkit-echo.log"),
          `${JSON.stringify({ text: args.text, sessionID: context.sessionID })}\n`,
        );
        return `ECHOED<${args.text}>`;
      },
    }),
  },
});
