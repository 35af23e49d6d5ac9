import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, cliUserDirs, startCliUser } from "../test-support/cli-user.js";

// Fault 3b: `orchestra workers spawn` interrupted by SIGINT/SIGTERM half-way through a spawn stops
// what it started (the worker's `opencode serve`, the catalog server) and leaves no registry entry.
// Real `opencode serve` processes and the scripted model, in an isolated HOME.
const dirs = cliUserDirs("orchestra-cli-signals-");
const { root, project } = dirs;
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;

/** Pids of live processes whose environment carries `mark` (the CLI passes its env to every server). */
function processesMarked(mark: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, "latin1").includes(mark)) {
        const state = readFileSync(`/proc/${name}/stat`, "utf8").split(") ")[1]?.[0];
        if (state !== "Z") found.push(Number(name));
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * The marked processes still alive once every SIGKILLed one had the chance to vanish: a killed
 * process stays in /proc for a moment while the kernel tears it down. Polls for up to 5 s.
 */
async function processesLeft(mark: string): Promise<number[]> {
  for (let i = 0; i < 50; i++) {
    if (processesMarked(mark).length === 0) return [];
    await new Promise((r) => setTimeout(r, 100));
  }
  return processesMarked(mark);
}

/**
 * Run `orchestra workers spawn` and send `signal` once its stderr matches `when`. Resolves with
 * the exit code, the stderr and the marker its child processes carry.
 */
function interruptedSpawn(
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; exitSignal: NodeJS.Signals | null; stderr: string; mark: string }> {
  const mark = `ORCHESTRA_SIGNAL_TEST=${randomUUID()}`;
  const [key, value] = mark.split("=") as [string, string];
  const child = spawn(process.execPath, [cli, "workers", "spawn", ...args], {
    cwd: project,
    env: { ...env, [key]: value },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let sent = false;
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && when.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((done) =>
    child.once("exit", (code, exitSignal) => done({ code, exitSignal, stderr, mark })),
  );
}

function registryIds(file: string): string[] {
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, "utf8")) as { entries: { id: string }[] }).entries.map((e) => e.id);
}

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, { script: (req) => `worker says: ${req.lastUserText ?? ""}` }));
});

afterAll(async () => {
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra workers spawn, interrupted", () => {
  it("SIGINT while the worker's server is up but not ready: no server process is left, no registry entry", async () => {
    const registry = join(root, "sigint-registry.json");
    const result = await interruptedSpawn(
      ["explorer", "--registry", registry],
      /explorer: listening on http/,
      "SIGINT",
    );
    const left = await processesLeft(result.mark);
    for (const pid of left) process.kill(pid, "SIGKILL");
    expect(result.stderr).toMatch(/explorer: listening on http/);
    expect(left).toEqual([]);
    expect(registryIds(registry)).toEqual([]);
    expect(result.code ?? result.exitSignal).toBe(130);
  });

  it("SIGTERM while the catalog server starts: nothing is left either", async () => {
    const registry = join(root, "sigterm-registry.json");
    const result = await interruptedSpawn(
      ["explorer", "--registry", registry],
      /explorer: resolving a model/,
      "SIGTERM",
    );
    const left = await processesLeft(result.mark);
    for (const pid of left) process.kill(pid, "SIGKILL");
    expect(left).toEqual([]);
    expect(registryIds(registry)).toEqual([]);
    expect(result.code ?? result.exitSignal).toBe(143);
  });
});
