import { describe, expect, it } from "vitest";
import { formatMemoryContext } from "./memory-context.js";
import type { Memory } from "./memory-store.js";

const memory = (key: string, value: string, tags: string[] = []): Memory => ({
  scope: "project",
  key,
  value,
  tags,
  source: {},
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  links: [],
});

describe("formatMemoryContext", () => {
  it("renders one line per memory with scope, key and tags, whitespace collapsed", () => {
    const out = formatMemoryContext([
      memory("decision/db", "Use\n  SQLite.", ["decision"]),
      memory("b", "two"),
    ]);
    expect(out.text).toBe("- [project] decision/db #decision: Use SQLite.\n- [project] b: two");
    expect(out.included).toEqual(["decision/db", "b"]);
    expect(out.omitted).toBe(0);
  });

  it("never exceeds the character budget and counts what it left out", () => {
    const memories = Array.from({ length: 20 }, (_, i) => memory(`k${i}`, "x".repeat(40)));
    for (const maxChars of [0, 10, 60, 100, 500]) {
      const out = formatMemoryContext(memories, { maxChars, maxEntries: 20 });
      expect(out.text.length).toBeLessThanOrEqual(maxChars);
      expect(out.included.length + out.omitted).toBe(20);
    }
  });

  it("shortens a single long value with an ellipsis and honours maxEntries", () => {
    const out = formatMemoryContext([memory("long", "y".repeat(1000))], { maxChars: 100 });
    expect(out.text).toHaveLength(100);
    expect(out.text.endsWith("…")).toBe(true);
    const few = formatMemoryContext([memory("a", "1"), memory("b", "2"), memory("c", "3")], {
      maxEntries: 2,
    });
    expect(few.included).toEqual(["a", "b"]);
    expect(few.omitted).toBe(1);
  });
});
