import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrchestraError } from "@orchestra/core";
import { afterAll, describe, expect, it } from "vitest";
import { defaultMemoryPath, openMemoryStore, resolveMemoryConfig } from "./open-memory-store.js";

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return OrchestraError.isInstance(error) ? error.code : "not a MemoryError";
  }
  return undefined;
};

describe("resolveMemoryConfig", () => {
  it("defaults to the embedded store under XDG_DATA_HOME, project = cwd", () => {
    const r = resolveMemoryConfig({}, { XDG_DATA_HOME: "/data" });
    expect(r).toEqual({
      backend: "embedded",
      project: process.cwd(),
      scope: "project",
      maxValueChars: 20_000,
      path: "/data/opencode/orchestra/memory.db",
      busyTimeoutMs: 10_000,
    });
    expect(defaultMemoryPath({ HOME: "/home/u" })).toBe("/home/u/.local/share/opencode/orchestra/memory.db");
  });

  it("expands ~/ in the embedded path", () => {
    const r = resolveMemoryConfig({ embedded: { path: "~/m.db" } }, { HOME: "/home/u" });
    expect(r.backend === "embedded" && r.path).toBe("/home/u/m.db");
  });

  it("uses Neo4j when configured, filling gaps from NEO4J_* variables", () => {
    const r = resolveMemoryConfig(
      { project: "/p", neo4j: { uri: "bolt://db:7687" } },
      { NEO4J_PASSWORD: "pw", NEO4J_DATABASE: "mem", NEO4J_URI: "bolt://ignored:1" },
    );
    expect(r).toMatchObject({
      backend: "neo4j",
      neo4j: { uri: "bolt://db:7687", user: "neo4j", password: "pw", database: "mem" },
    });
  });

  it("uses Neo4j from NEO4J_URI alone, unless neo4j is false", () => {
    const env = { NEO4J_URI: "neo4j+s://x.databases.neo4j.io", NEO4J_USER: "me" };
    expect(resolveMemoryConfig({ project: "/p" }, env)).toMatchObject({
      backend: "neo4j",
      neo4j: { uri: env.NEO4J_URI, user: "me" },
    });
    expect(resolveMemoryConfig({ project: "/p", neo4j: false }, env).backend).toBe("embedded");
    expect(resolveMemoryConfig({ project: "/p" }, { NEO4J_URI: "" }).backend).toBe("embedded");
  });

  it("rejects an incomplete or malformed config with MEMORY_CONFIG_INVALID", () => {
    expect(codeOf(() => resolveMemoryConfig({ neo4j: {} }, {}))).toBe("MEMORY_CONFIG_INVALID");
    expect(codeOf(() => resolveMemoryConfig({ neo4j: { uri: "http://db:7474" } }, {}))).toBe(
      "MEMORY_CONFIG_INVALID",
    );
    expect(codeOf(() => resolveMemoryConfig({ maxValueChars: 0 }, {}))).toBe("MEMORY_CONFIG_INVALID");
    expect(codeOf(() => resolveMemoryConfig({ project: "" }, {}))).toBe("MEMORY_CONFIG_INVALID");
    expect(codeOf(() => resolveMemoryConfig({ scope: "team" as "global" }, {}))).toBe("MEMORY_INVALID_INPUT");
  });
});

describe("openMemoryStore", () => {
  const dir = mkdtempSync(join(tmpdir(), "orchestra-open-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens the embedded store with zero setup beyond a data folder", async () => {
    const store = await openMemoryStore({ project: "/p" }, { XDG_DATA_HOME: dir });
    expect(store.backend).toBe("embedded");
    expect(store.project).toBe("/p");
    await store.put({ key: "hello", value: "world" });
    await store.close();
    const again = await openMemoryStore({ project: "/p" }, { XDG_DATA_HOME: dir });
    expect((await again.get({ key: "hello" }))?.value).toBe("world");
    await again.close();
  });
});
