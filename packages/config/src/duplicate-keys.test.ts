import { describe, expect, it } from "vitest";
import { duplicateKeys } from "./duplicate-keys.js";

describe("duplicateKeys", () => {
  it("finds a key written twice, with its JSON path and both lines", () => {
    const text = '{\n  "ui": { "toasts": true,\n    "toasts": false },\n  "autoSpawn": true\n}';
    expect(duplicateKeys(text, "/p/orchestrator.json")).toEqual([
      {
        file: "/p/orchestrator.json",
        path: "ui.toasts",
        problem: "duplicate key: the value on line 3 replaces the one on line 2",
        expected: "each key once per object",
      },
    ]);
  });

  it("tracks paths through arrays, nested objects and odd keys", () => {
    const text = `{
      // JSONC
      "profiles": [
        "coder",
        { "id": "a", "permissions": { "tools": { "bash": "deny", "bash": "allow" } } },
        { "id": "b", "id": "c", },
      ],
      "capabilityOverrides": { "ollama/llava:13b": { "vision": true }, "ollama/llava:13b": {} },
      "autoSpawn": true,
      "autoSpawn": false
    }`;
    expect(duplicateKeys(text).map((i) => i.path)).toEqual([
      "profiles[1].permissions.tools.bash",
      "profiles[2].id",
      'capabilityOverrides["ollama/llava:13b"]',
      "autoSpawn",
    ]);
  });

  it("the same key in different objects is not a duplicate", () => {
    expect(duplicateKeys('{ "a": { "id": 1 }, "b": { "id": 1 }, "c": [{ "id": 1 }, { "id": 2 }] }')).toEqual(
      [],
    );
  });
});
