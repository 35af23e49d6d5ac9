import { rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { freePort } from "@orchestra/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMemory } from "./memory.js";
import { readConfig } from "./setup.js";
import { tempSetup } from "./test-setup.js";

const setup = tempSetup("memory");
let listener: Server;
let listening = 0;
beforeAll(async () => {
  listener = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listening = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  rmSync(setup.root, { recursive: true, force: true });
});

async function memoryConfig(memory: unknown) {
  const s = tempSetup("memory-cfg");
  s.write("project/orchestrator.json", JSON.stringify({ memory }));
  const config = await readConfig(s);
  rmSync(s.root, { recursive: true, force: true });
  if (!config.ok) throw config.error;
  return config.loaded.config.memory;
}

describe("checkMemory", () => {
  it("passes for the embedded default, created on first use, without creating it", async () => {
    const result = await checkMemory(undefined, setup);
    const path = join(setup.env.XDG_DATA_HOME as string, "opencode", "orchestra", "memory.db");
    expect(result).toStrictEqual({
      id: "memory",
      status: "pass",
      message: `embedded store ${path} (created on first use)`,
    });
  });

  it("fails when the embedded store's directory cannot be created", async () => {
    const blocker = setup.write("home/blocker", "a file");
    const result = await checkMemory(
      await memoryConfig({ embedded: { path: join(blocker, "memory.db") } }),
      setup,
    );
    expect(result.status).toBe("fail");
    expect(result.message).toContain(`${blocker} is not a writable directory`);
  });

  it("passes when memory is off", async () => {
    expect((await checkMemory(await memoryConfig({ enabled: false }), setup)).message).toBe(
      "memory is off (memory.enabled: false)",
    );
  });

  it("passes for a Neo4j server that accepts connections", async () => {
    const result = await checkMemory(
      await memoryConfig({ neo4j: { uri: `bolt://127.0.0.1:${listening}` } }),
      setup,
    );
    expect(result.status).toBe("pass");
    expect(result.message).toMatch(/^Neo4j at bolt:\/\/127\.0\.0\.1:\d+ accepts connections/);
  });

  it("fails for an unreachable Neo4j (from NEO4J_URI too), with what to do", async () => {
    const port = await freePort();
    const result = await checkMemory(undefined, {
      ...setup,
      env: { ...setup.env, NEO4J_URI: `bolt://127.0.0.1:${port}` },
    });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(
      `Neo4j at bolt://127.0.0.1:${port} is not reachable (127.0.0.1:${port}: ECONNREFUSED); memory tools will fail`,
    );
    expect(result.hint).toContain("remove memory.neo4j");
  });

  it("fails for a NEO4J_URI that is not a Bolt URI", async () => {
    const result = await checkMemory(undefined, { ...setup, env: { ...setup.env, NEO4J_URI: "http://x" } });
    expect(result.status).toBe("fail");
    expect(result.message).toContain("is not a Bolt URI");
  });
});
