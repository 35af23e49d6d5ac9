import { tool } from "@opencode-ai/plugin";
import { describe, expect, it } from "vitest";
import { formatArg } from "../tools/format.js";
import { toolFormat, withDefaultFormat } from "./default-format.js";

const echo = tool({
  description: "echo the format",
  args: { format: formatArg },
  execute: async (args) => `format=${args.format ?? "none"}`,
});
const plain = tool({ description: "no format", args: {}, execute: async () => "plain" });
const context = {} as Parameters<typeof echo.execute>[1];

describe("withDefaultFormat", () => {
  it("fills in the configured format when the call gives none, and keeps the call's own", async () => {
    const tools = withDefaultFormat({ echo, plain }, "json");
    expect(await tools.echo?.execute({}, context)).toBe("format=json");
    expect(await tools.echo?.execute({ format: "text" }, context)).toBe("format=text");
    expect(tools.plain).toBe(plain);
  });

  it("maps markdown to the readable text answer", () => {
    expect(toolFormat("markdown")).toBe("text");
    expect(toolFormat("json")).toBe("json");
  });
});
