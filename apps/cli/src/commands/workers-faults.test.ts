import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";

// `orchestra workers` when things break, against real `opencode serve` workers and the scripted
// model in an isolated HOME: an ask to a model that cannot be reached fails with the provider's
// message (not after its timeout), and a corrupt device registry orphans no worker.
const _here = dirname(fileURLToPath(import.meta.url));
const dirs = cliUserDirs("orchestra-cli-faults-");
const { root, project, xdg } = dirs;
const registryDir = join(xdg.XDG_DATA_HOME, "opencode", "orchestra");
const registryFile = join(registryDir, "registry.json");
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

const orchestra = (...args: string[]) => runWorkers(args, { cwd: project, env, timeoutMs: 300_000 });

/** A port that nothing listens on (bound, read, released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function spawnWorker(...extra: string[]): Promise<{ id: string; pid: number }> {
  const result = await orchestra("spawn", "explorer", "--json", ...extra);
  expect(result.code, result.stderr).toBe(0);
  const worker = JSON.parse(result.stdout) as { id: string; pid: number };
  pids.add(worker.pid);
  return worker;
}

const setAsideFiles = () =>
  readdirSync(registryDir).filter((name) => name.startsWith("registry.json.corrupt-"));

beforeAll(async () => {
  // The user's providers: the scripted model, and one whose API is down (nothing on its port).
  ({ model, env } = await startCliUser(dirs, {
    script: (req) => `worker says: ${req.lastUserText ?? ""}`,
    extraProviders: async (scripted) => {
      const config = scripted.providerConfig()[scripted.providerId];
      if (!config) throw new Error("the scripted model has no provider config");
      const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
      return { offline: { ...config, name: "Offline", options: { ...config.options, baseURL } } };
    },
  }));
});

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra workers ask: fails fast and says why", () => {
  it("an ask to an unreachable model fails with the provider's message and a hint, not after its timeout", async () => {
    const { id } = await spawnWorker("--model", "offline/fake-fast");
    const asked = await orchestra("ask", id, "hello", "--timeout", "30000");
    expect(asked.code).toBe(1);
    expect(asked.stdout).toBe("");
    expect(asked.stderr).toContain(`waiting for ${id}: thinking`);
    expect(asked.stderr).toContain(`worker "${id}" did not answer`);
    expect(asked.stderr).toContain("Cannot connect to API");
    expect(asked.stderr).not.toContain("timed out");
    expect(asked.stderr).toContain("orchestra doctor");
    const stopped = await orchestra("stop", id);
    expect(stopped.code).toBe(0);
  });
});

describe("a corrupt device registry orphans no worker", () => {
  it("a truncated registry: its entries are salvaged from the set-aside file; list shows the worker, stop stops it", async () => {
    const { id, pid } = await spawnWorker();
    const whole = readFileSync(registryFile, "utf8");
    // A write cut short after the entry: not valid JSON any more.
    writeFileSync(registryFile, whole.slice(0, whole.lastIndexOf("]")));
    const before = setAsideFiles();

    const listed = await orchestra("list", "--json");
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string; status: string }[]).map((w) => w.id)).toEqual([id]);
    const aside = setAsideFiles().filter((name) => !before.includes(name));
    expect(aside).toHaveLength(1);
    expect(listed.stderr).toContain(join(registryDir, aside[0] ?? "?"));
    expect(listed.stderr).toContain(`${id} (pid ${pid})`);
    expect(listed.stderr).toContain("orchestra workers stop");

    const stopped = await orchestra("stop", id);
    expect(stopped.stdout).toMatch(new RegExp(`^stopped ${id} \\((terminated|killed)\\)\\n$`));
    expect(alive(pid)).toBe(false);
  });

  it("an unreadable registry: its live workers are found by their process marker; list shows them, stop stops them", async () => {
    const { id, pid } = await spawnWorker();
    writeFileSync(registryFile, "\u0000\u0000\u0000 not json");
    const before = setAsideFiles();

    const listed = await orchestra("list", "--json");
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id, kind: "process", pid, status: "ready" }),
    ]);
    const aside = setAsideFiles().filter((name) => !before.includes(name));
    expect(aside).toHaveLength(1);
    expect(listed.stderr).toContain(join(registryDir, aside[0] ?? "?"));
    expect(listed.stderr).toContain(`${id} (pid ${pid})`);

    const stopped = await orchestra("stop", id);
    expect(stopped.stdout).toMatch(new RegExp(`^stopped ${id} \\((terminated|killed)\\)\\n$`));
    expect(alive(pid)).toBe(false);
    expect(JSON.parse((await orchestra("list", "--json")).stdout)).toEqual([]);
  });
});
