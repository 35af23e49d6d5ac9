import { describe, expect, it } from "vitest";
import { buildCatalogIndex } from "./catalog-index.js";
import { catalog, model } from "./test-helpers.js";

describe("capability provenance of kind", () => {
  const index = buildCatalogIndex(
    catalog({
      p: {
        "plain-chat-model": model("plain-chat-model"),
        "text-embedding-3-large": model("text-embedding-3-large", { tools: false }),
      },
    }),
  );

  it('is "default", not "inferred", when no name pattern matched', () => {
    const caps = index.get("p/plain-chat-model")?.capabilities;
    expect(caps?.kind).toBe("chat");
    expect(caps?.sources.kind).toBe("default");
  });

  it('is "inferred" when a name pattern said what the model is', () => {
    const caps = index.get("p/text-embedding-3-large")?.capabilities;
    expect(caps?.kind).toBe("embedding");
    expect(caps?.sources.kind).toBe("inferred");
  });
});
