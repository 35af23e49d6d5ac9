import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PluginInput } from "@opencode-ai/plugin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerHooks } from "../worker-hooks.js";

// A process worker never runs in degraded mode: with an invalid config its plugin stays fail-closed
// and denies every call, so a worker can never run tools unrestricted.
let root = "";
const saved = { ...process.env };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "orchestra-degraded-worker-"));
  Object.assign(process.env, {
    XDG_CONFIG_HOME: join(root, "config"),
    ORCHESTRA_WORKER_ID: "coder-1",
    ORCHESTRA_WORKER_PROFILE: "coder",
  });
});

afterAll(() => {
  for (const key of ["XDG_CONFIG_HOME", "ORCHESTRA_WORKER_ID", "ORCHESTRA_WORKER_PROFILE"])
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  rmSync(root, { recursive: true, force: true });
});

/** A worker's hooks in a project whose `.opencode/orchestrator.json` is `config`. */
async function worker(name: string, config: string) {
  const directory = join(root, name);
  mkdirSync(join(directory, ".opencode"), { recursive: true });
  writeFileSync(join(directory, ".opencode", "orchestrator.json"), config);
  writeFileSync(join(directory, "a.txt"), "a");
  const client = { app: { log: async () => undefined } };
  const input = { client, directory, worktree: directory, serverUrl: new URL("http://127.0.0.1:4096") };
  const hooks = await workerHooks(input as unknown as PluginInput);
  return (tool: string, args: Record<string, unknown>) =>
    hooks["tool.execute.before"]?.({ tool, sessionID: "s", callID: "c" }, { args });
}

describe("worker mode with an invalid config", () => {
  it("denies every call, naming the config error", async () => {
    const call = await worker("invalid", JSON.stringify({ ui: { toasts: "yes" } }));
    await expect(call("read", { filePath: "a.txt" })).rejects.toThrow(
      /could not be loaded in worker coder-1: Invalid orchestrator config .*Every call is denied/s,
    );
    await expect(call("bash", { command: "ls" })).rejects.toThrow(/Every call is denied/);
  });

  it("with a valid config the same profile may read (the denial above is the config's)", async () => {
    const call = await worker("valid", JSON.stringify({ ui: { toasts: true } }));
    await expect(call("read", { filePath: "a.txt" })).resolves.toBeUndefined();
  });
});
