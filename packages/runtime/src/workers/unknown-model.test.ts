import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { describe, expect, it } from "vitest";
import { unknownModelError, unknownModelHints } from "./unknown-model.js";

// The two reads of `catalogOf` (GET /provider, GET /config), answered as a worker's OpenCode would.
const client = (list: "fails" | object) =>
  ({
    provider: {
      list: async () => (list === "fails" ? { error: { name: "UnknownError" } } : { data: list }),
    },
    config: { get: async () => ({ data: {} }) },
  }) as unknown as OpencodeClient;

const catalog = {
  all: [{ id: "scripted", env: [], models: { "fake-fast": { id: "fake-fast", tool_call: true } } }],
  connected: ["scripted"],
  default: {},
};
const signal = new AbortController().signal;

describe("unknownModelError", () => {
  it("resolves the worker's model in the worker's own catalog: an unknown one gets the resolver's error", async () => {
    const error = await unknownModelError(
      client(catalog),
      { providerID: "scripted", modelID: "fake-fats" },
      signal,
    );
    expect(error).toMatchObject({
      code: "RESOLVER_UNKNOWN_MODEL",
      message: 'Provider "scripted" has no model "fake-fats".',
      suggestions: ["scripted/fake-fast"],
    });
    expect(unknownModelHints(error as NonNullable<typeof error>, "coder-2")).toEqual([
      "did you mean: scripted/fake-fast?",
      expect.stringContaining('the catalog lists 1 model(s) for "scripted"'),
      "stop worker coder-2 (stop_worker or `orchestra workers stop coder-2`) and spawn it again (spawn_worker or `orchestra workers spawn`) with a model its OpenCode has",
    ]);
    expect(
      await unknownModelError(client(catalog), { providerID: "nope", modelID: "x" }, signal),
    ).toMatchObject({ code: "RESOLVER_UNKNOWN_PROVIDER" });
  });

  it("says nothing when the model is in the catalog or the catalog cannot be read", async () => {
    expect(
      await unknownModelError(client(catalog), { providerID: "scripted", modelID: "fake-fast" }, signal),
    ).toBeUndefined();
    expect(
      await unknownModelError(client("fails"), { providerID: "scripted", modelID: "x" }, signal),
    ).toBeUndefined();
  });
});
