import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedCatalog, catalogCacheFile, isCatalogCached } from "./catalog-cache.js";

let root = "";
let project = "";
let env: NodeJS.ProcessEnv = {};
let binary = "";
let fetched = 0;

const catalog = (tag: string): OpencodeProviderList => ({
  all: [{ id: "anthropic", env: ["ANTHROPIC_API_KEY"], models: { [tag]: { id: tag } } }],
  connected: [],
  default: {},
});

/** Reads the catalog as the CLI would, counting how often OpenCode would have been asked. */
function read(tag = "m1", overrides: NodeJS.ProcessEnv = {}) {
  return cachedCatalog({
    binary,
    directory: project,
    env: { ...env, ...overrides },
    fetch: async () => {
      fetched++;
      return { catalog: catalog(tag) };
    },
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "orchestra-catalog-cache-"));
  project = join(root, "work", "project");
  env = {
    HOME: join(root, "home"),
    XDG_CONFIG_HOME: join(root, "config"),
    XDG_DATA_HOME: join(root, "data"),
    XDG_CACHE_HOME: join(root, "cache"),
  };
  for (const dir of [project, join(root, "config", "opencode"), join(root, "data", "opencode")])
    mkdirSync(dir, { recursive: true });
  binary = join(root, "opencode");
  writeFileSync(binary, "binary v1");
  fetched = 0;
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("cachedCatalog", () => {
  it("reads the catalog from OpenCode once, then from the cache while nothing changed", async () => {
    expect(await read("m1")).toEqual({ catalog: catalog("m1"), source: "opencode" });
    expect(await read("m2")).toEqual({ catalog: catalog("m1"), source: "cache" });
    expect(fetched).toBe(1);
    expect(catalogCacheFile({ directory: project, env })).toContain(join(root, "cache", "orchestra"));
  });

  it.each([
    ["the project's opencode.json", () => join(project, "opencode.json")],
    ["the project's opencode.jsonc", () => join(project, "opencode.jsonc")],
    ["a parent dir's opencode.json", () => join(root, "work", "opencode.json")],
    ["the project's .opencode/opencode.json", () => join(project, ".opencode", "opencode.json")],
    ["the global opencode.json", () => join(root, "config", "opencode", "opencode.json")],
    ["the global opencode.jsonc", () => join(root, "config", "opencode", "opencode.jsonc")],
    ["auth.json (a login)", () => join(root, "data", "opencode", "auth.json")],
    ["the models.dev cache", () => join(root, "cache", "opencode", "models.json")],
  ])("reads it again when %s is created or edited", async (_name, path) => {
    await read("m1");
    mkdirSync(join(path(), ".."), { recursive: true });
    writeFileSync(path(), '{ "model": "anthropic/a" }');
    expect(await read("m2")).toEqual({ catalog: catalog("m2"), source: "opencode" });
    expect(await read("m3")).toEqual({ catalog: catalog("m2"), source: "cache" });
    writeFileSync(path(), '{ "model": "anthropic/b" }');
    expect(await read("m4")).toEqual({ catalog: catalog("m4"), source: "opencode" });
    expect(fetched).toBe(3);
  });

  it("reads it again when a provider's API key variable is set, changed or unset", async () => {
    await read("m1");
    expect((await read("m2", { ANTHROPIC_API_KEY: "k1" })).source).toBe("opencode");
    expect((await read("m3", { ANTHROPIC_API_KEY: "k1" })).source).toBe("cache");
    expect((await read("m4", { ANTHROPIC_API_KEY: "k2" })).source).toBe("opencode");
    expect((await read("m5")).source).toBe("opencode");
    // A variable no provider reads changes nothing.
    expect((await read("m6", { UNRELATED: "x" })).source).toBe("cache");
  });

  it("reads it again for OPENCODE_CONFIG_CONTENT, another binary, or another project", async () => {
    await read("m1");
    expect((await read("m2", { OPENCODE_CONFIG_CONTENT: "{}" })).source).toBe("opencode");
    await read("m3");
    writeFileSync(binary, "binary v2, a new release");
    expect((await read("m4")).source).toBe("opencode");
    const other = join(root, "other");
    mkdirSync(other);
    const elsewhere = await cachedCatalog({
      binary,
      directory: other,
      env,
      fetch: async () => ({ catalog: catalog("o") }),
    });
    expect(elsewhere).toEqual({ catalog: catalog("o"), source: "opencode" });
    expect((await read("m5")).source).toBe("cache");
  });

  it("ignores the `$schema` OpenCode writes into a config file, and reformatting", async () => {
    const config = join(project, "opencode.json");
    writeFileSync(config, '{"model":"anthropic/a"}');
    await read("m1");
    writeFileSync(
      config,
      '{\n  "$schema": "https://opencode.ai/config.json",\n  "model": "anthropic/a"\n}\n',
    );
    expect((await read("m2")).source).toBe("cache");
    expect(fetched).toBe(1);
  });

  it("does not store a catalog when a config file changed while OpenCode read it", async () => {
    const config = join(project, "opencode.json");
    await cachedCatalog({
      binary,
      directory: project,
      env,
      fetch: async () => {
        writeFileSync(config, '{ "model": "anthropic/late" }');
        return { catalog: catalog("m1") };
      },
    });
    expect((await read("m2")).source).toBe("opencode");
    expect((await read("m3")).source).toBe("cache");
  });

  it("stores no provider key or options (API keys), only what the resolver reads", async () => {
    const secret: OpencodeProviderList = {
      all: [
        {
          id: "anthropic",
          env: ["ANTHROPIC_API_KEY"],
          models: { m: { id: "m" } },
          ...({ key: "sk-from-auth", options: { apiKey: "sk-from-config" } } as object),
        },
      ],
      connected: ["anthropic"],
      default: { anthropic: "m" },
    };
    const first = await cachedCatalog({
      binary,
      directory: project,
      env,
      fetch: async () => ({ catalog: secret }),
    });
    expect(first.catalog).toBe(secret);
    const file = readFileSync(catalogCacheFile({ directory: project, env }), "utf8");
    expect(file).not.toContain("sk-from");
    expect((await read()).catalog).toEqual({
      all: [{ id: "anthropic", env: ["ANTHROPIC_API_KEY"], models: { m: { id: "m" } } }],
      connected: ["anthropic"],
      default: { anthropic: "m" },
    });
  });

  it("keeps the user's default model beside the catalog, read again with it", async () => {
    const config = join(project, "opencode.json");
    const withDefault = (model: string) =>
      cachedCatalog({
        binary,
        directory: project,
        env,
        fetch: async () => ({ catalog: catalog("m1"), defaultModel: model }),
      });
    writeFileSync(config, '{"model":"anthropic/a"}');
    expect(await withDefault("anthropic/a")).toMatchObject({
      defaultModel: "anthropic/a",
      source: "opencode",
    });
    expect(await withDefault("anthropic/x")).toMatchObject({ defaultModel: "anthropic/a", source: "cache" });
    writeFileSync(config, '{"model":"anthropic/b"}');
    expect(await withDefault("anthropic/b")).toMatchObject({
      defaultModel: "anthropic/b",
      source: "opencode",
    });
  });

  it("tells whether the catalog would come from the cache, without reading OpenCode", async () => {
    expect(isCatalogCached({ binary, directory: project, env })).toBe(false);
    await read("m1");
    expect(isCatalogCached({ binary, directory: project, env })).toBe(true);
    writeFileSync(join(project, "opencode.json"), '{"model":"anthropic/a"}');
    expect(isCatalogCached({ binary, directory: project, env })).toBe(false);
    expect(fetched).toBe(1);
  });

  it("treats a corrupt cache file as a miss", async () => {
    await read("m1");
    writeFileSync(catalogCacheFile({ directory: project, env }), "{ not json");
    expect(await read("m2")).toEqual({ catalog: catalog("m2"), source: "opencode" });
  });
});
