import { describe, expect, it } from "vitest";
import {
  PRUNED_MARKER_PREFIX,
  type PruningOptions,
  prunedMarker,
  pruneInput,
  prunePart,
  pruningTransform,
  shorten,
} from "./pruning.js";

type Transform = NonNullable<ReturnType<typeof pruningTransform>>;
type Messages = Parameters<Transform>[1]["messages"];
type Part = Messages[number]["parts"][number];

const options = (over: Partial<PruningOptions> = {}): PruningOptions => ({
  enabled: true,
  maxToolOutputChars: 100,
  maxToolInputChars: 100,
  protectedTools: ["task", "todowrite", "todoread"],
  ...over,
});

const toolPart = (tool: string, input: Record<string, unknown>, output?: string): Part => ({
  id: `prt_${tool}`,
  sessionID: "ses_1",
  messageID: "msg_1",
  type: "tool",
  callID: `call_${tool}`,
  tool,
  state:
    output === undefined
      ? { status: "error", input, error: "failed", time: { start: 1, end: 2 } }
      : { status: "completed", input, output, title: tool, metadata: {}, time: { start: 1, end: 2 } },
});

const outputOf = (part: Part | undefined): string =>
  part?.type === "tool" && part.state.status === "completed" ? part.state.output : "";
const inputOf = (part: Part | undefined): Record<string, unknown> =>
  part?.type === "tool" ? part.state.input : {};

describe("shorten", () => {
  it("keeps text up to the limit unchanged", () => {
    expect(shorten("a".repeat(100), 100, () => "M")).toBe("a".repeat(100));
  });

  it("keeps the first 60% and the last 40% of the limit around the marker, which gets the count cut", () => {
    const text = `${"h".repeat(500)}${"t".repeat(500)}`;
    expect(shorten(text, 100, (cut) => `[cut ${cut}]`)).toBe(
      `${"h".repeat(60)}\n\n[cut 900]\n\n${"t".repeat(40)}`,
    );
  });
});

describe("prunedMarker", () => {
  it("says how much of what was cut, under which option, and that the session has the full text", () => {
    expect(prunedMarker(18_000, 20_000, "output", 2_000)).toBe(
      `${PRUNED_MARKER_PREFIX} 18,000 of 20,000 characters of this tool output ` +
        "(pruning.maxToolOutputChars is 2,000); the full output is stored in the session.]",
    );
    expect(prunedMarker(5, 105, "input", 100)).toContain(
      "(pruning.maxToolInputChars is 100); the full input",
    );
  });
});

describe("pruneInput", () => {
  it("returns the same object when its JSON fits", () => {
    const input = { filePath: "/a", content: "x".repeat(50) };
    expect(pruneInput(input, 100)).toBe(input);
  });

  it("shortens the longest string values, keeping every key and the other values", () => {
    const input = { filePath: "/tmp/a.txt", content: "c".repeat(5_000), replaceAll: true, lines: [1, 2] };
    const pruned = pruneInput(input, 200);
    expect(Object.keys(pruned)).toEqual(Object.keys(input));
    expect(pruned).toMatchObject({ filePath: "/tmp/a.txt", replaceAll: true, lines: [1, 2] });
    const content = String(pruned.content);
    expect(content).toContain(`${PRUNED_MARKER_PREFIX} `);
    expect(content).toContain("of 5,000 characters of this tool input");
    expect(content.replace(/\[Open Orchestra pruned[^\]]*\]/, "").replace(/\s/g, "").length).toBeLessThan(
      200,
    );
    expect(input.content).toHaveLength(5_000); // the original is untouched
  });

  it("shortens strings nested in arrays and objects, the longer ones first", () => {
    const input = { edits: [{ oldString: "o".repeat(400), newString: "n".repeat(400) }], note: "short" };
    const pruned = pruneInput(input, 300) as {
      edits: { oldString: string; newString: string }[];
      note: string;
    };
    expect(pruned.note).toBe("short");
    expect(pruned.edits[0]?.oldString).toContain(PRUNED_MARKER_PREFIX);
    expect(pruned.edits[0]?.newString).toContain(PRUNED_MARKER_PREFIX);
  });

  it("leaves an input without strings as it is", () => {
    const input = { numbers: Array.from({ length: 100 }, (_, i) => i) };
    expect(pruneInput(input, 100)).toBe(input);
  });
});

describe("prunePart", () => {
  it("cuts a long completed output and keeps the rest of the part", () => {
    const part = toolPart("read", { filePath: "/a" }, "x".repeat(1_000));
    const pruned = prunePart(part, options());
    expect(pruned).not.toBe(part);
    expect(outputOf(pruned)).toContain("900 of 1,000 characters of this tool output");
    expect(outputOf(part)).toHaveLength(1_000);
    expect({ ...pruned, state: undefined }).toEqual({ ...part, state: undefined });
  });

  it("never cuts a protected tool", () => {
    const part = toolPart("task", { prompt: "p".repeat(1_000) }, "x".repeat(1_000));
    expect(prunePart(part, options())).toBe(part);
    const read = toolPart("read", { filePath: "/a" }, "x".repeat(1_000));
    expect(prunePart(read, options({ protectedTools: ["read"] }))).toBe(read);
  });

  it("cuts the input of a call that failed, and leaves short parts and other part types as they are", () => {
    const failed = toolPart("write", { content: "w".repeat(1_000) });
    expect(String(inputOf(prunePart(failed, options())).content)).toContain("this tool input");
    const short = toolPart("read", { filePath: "/a" }, "ok");
    expect(prunePart(short, options())).toBe(short);
    const text: Part = {
      id: "prt_t",
      sessionID: "ses_1",
      messageID: "msg_1",
      type: "text",
      text: "t".repeat(1_000),
    };
    expect(prunePart(text, options())).toBe(text);
  });
});

describe("pruningTransform", () => {
  const messages = (): Messages => [
    {
      info: {
        id: "msg_1",
        sessionID: "ses_1",
        role: "assistant",
        time: { created: 1 },
        parentID: "msg_0",
        modelID: "m",
        providerID: "p",
        mode: "build",
        path: { cwd: "/", root: "/" },
        cost: 0,
        tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
      },
      parts: [
        toolPart("read", { filePath: "/a" }, "x".repeat(1_000)),
        toolPart("task", {}, "y".repeat(1_000)),
      ],
    },
  ];

  it("is off unless enabled", () => {
    expect(pruningTransform(options({ enabled: false }))).toBeUndefined();
  });

  it("replaces the messages sent with pruned copies and never changes the originals", async () => {
    const sent = messages();
    const original = sent[0];
    const originalParts = original?.parts.slice();
    await pruningTransform(options())?.({}, { messages: sent });
    expect(outputOf(sent[0]?.parts[0])).toContain(PRUNED_MARKER_PREFIX);
    expect(outputOf(sent[0]?.parts[1])).toBe("y".repeat(1_000)); // protected
    expect(sent[0]).not.toBe(original);
    expect(original?.parts).toEqual(originalParts);
    expect(outputOf(original?.parts[0])).toBe("x".repeat(1_000));
  });

  it("keeps a message without anything to cut as the same object", async () => {
    const sent = messages();
    const original = sent[0];
    await pruningTransform(options({ maxToolOutputChars: 10_000 }))?.({}, { messages: sent });
    expect(sent[0]).toBe(original);
  });
});
