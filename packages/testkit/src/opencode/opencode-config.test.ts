import { describe, expect, it } from "vitest";
import { toOpencodeProvider } from "../scripted-model/fake-model.js";
import { buildOpencodeConfig, deepMerge, pluginSpec } from "./opencode-config.js";

describe("buildOpencodeConfig", () => {
  const provider = { scripted: toOpencodeProvider("http://127.0.0.1:1/v1", [{ id: "m" }]) };

  it("applies the offline defaults, the provider and both models", () => {
    expect(buildOpencodeConfig({ provider, model: "scripted/m" })).toEqual({
      autoupdate: false,
      share: "disabled",
      snapshot: false,
      provider,
      model: "scripted/m",
      small_model: "scripted/m",
    });
  });

  it("merges the caller's config over the defaults and appends its plugins", () => {
    const config = buildOpencodeConfig({
      provider,
      model: "scripted/m",
      smallModel: "scripted/s",
      plugins: ["/abs/a.js", "file:///abs/b.js"],
      config: {
        snapshot: true,
        provider: { scripted: { name: "Mine" } },
        plugin: ["npm-plugin@1.0.0", "file:///abs/b.js"],
      },
    });
    expect(config.snapshot).toBe(true);
    expect(config.small_model).toBe("scripted/s");
    expect((config.provider as Record<string, { name: string; npm: string }>).scripted).toMatchObject({
      name: "Mine",
      npm: "@ai-sdk/openai-compatible",
    });
    expect(config.plugin).toEqual(["file:///abs/a.js", "file:///abs/b.js", "npm-plugin@1.0.0"]);
  });

  it("turns paths into file URLs and keeps npm specs", () => {
    expect(pluginSpec("./p.js", "/base")).toBe("file:///base/p.js");
    expect(pluginSpec("/x/y.js")).toBe("file:///x/y.js");
    expect(pluginSpec("some-plugin@2")).toBe("some-plugin@2");
  });

  it("deep-merges objects and replaces arrays", () => {
    expect(deepMerge({ a: { b: 1, c: [1] } }, { a: { c: [2], d: 3 } })).toEqual({
      a: { b: 1, c: [2], d: 3 },
    });
  });
});
