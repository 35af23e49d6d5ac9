import { execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { isProcessAlive, processStartTime } from "@orchestra/process";
import type { RecoveryReport, RegistryEntry } from "@orchestra/runtime";
import { openRegistry } from "@orchestra/runtime/internal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const cli = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");
const run = promisify(execFile);
let root: string;
const started: number[] = [];

function env() {
  return { ...process.env, XDG_DATA_HOME: join(root, "data"), XDG_CONFIG_HOME: join(root, "config") };
}

async function orchestra(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: root, env: env() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A long-lived process in its own group, standing in for a worker server. */
async function liveProcess(): Promise<{ pid: number; startTime: string }> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  const pid = child.pid ?? 0;
  started.push(pid);
  for (;;) {
    const startTime = processStartTime(pid);
    if (startTime) return { pid, startTime };
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The identity of a process that has exited (an owner orchestrator that was SIGKILLed). */
async function deadProcess(): Promise<{ pid: number; startTime: string }> {
  const identity = await liveProcess();
  process.kill(-identity.pid, "SIGKILL");
  while (isProcessAlive(identity.pid)) await new Promise((r) => setTimeout(r, 10));
  return identity;
}

function entry(id: string, pid: number, startTime: string, owner: RegistryEntry["owner"]): RegistryEntry {
  return {
    id,
    profile: "coder",
    kind: "process",
    pid,
    pgid: pid,
    processStartTime: startTime,
    url: "http://127.0.0.1:9",
    port: 9,
    owner,
    createdAt: Date.now(),
    renewedAt: Date.now(),
    ttlMs: 3_600_000,
    status: "ready",
    directory: root,
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-cleanup-"));
});
afterEach(async () => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await rm(root, { recursive: true, force: true });
});

describe("orchestra workers cleanup", { timeout: 60_000 }, () => {
  it("removes dead entries, kills orphans, leaves live CLI-owned workers alone", async () => {
    const registry = openRegistry({ file: join(root, "data", "opencode", "orchestra", "registry.json") });
    const deadOwner = await deadProcess();
    const deadWorker = await deadProcess();
    const orphan = await liveProcess();
    const cliWorker = await liveProcess();
    const orchestratorOwner = { kind: "orchestrator" as const, ...deadOwner };
    await registry.upsert(entry("coder", deadWorker.pid, deadWorker.startTime, orchestratorOwner));
    await registry.upsert(entry("coder-2", orphan.pid, orphan.startTime, orchestratorOwner));
    await registry.upsert(entry("docs", cliWorker.pid, cliWorker.startTime, { kind: "cli", ...deadOwner }));

    const { code, stdout } = await orchestra(["workers", "cleanup", "--json", "--grace", "500"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RecoveryReport;
    expect(report.found).toBe(3);
    expect(report.killed.map((k) => k.id)).toEqual(["coder-2"]);
    expect(report.removed.map((r) => r.id).sort()).toEqual(["coder", "coder-2"]);
    expect(report.setAside.map((s) => s.id)).toEqual(["docs"]);
    expect(report.reconnected).toEqual([]);
    expect(isProcessAlive(orphan.pid)).toBe(false);
    expect(isProcessAlive(cliWorker.pid)).toBe(true);
    expect((await registry.list()).map((e) => e.id)).toEqual(["docs"]);
  });

  it("prints what it found and did, and says so when there is nothing to do", async () => {
    const empty = await orchestra(["workers", "cleanup"]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe("found 0 workers\nnothing to do\n");

    const registry = openRegistry({ file: join(root, "data", "opencode", "orchestra", "registry.json") });
    const deadOwner = await deadProcess();
    const orphan = await liveProcess();
    await registry.upsert(
      entry("coder", orphan.pid, orphan.startTime, { kind: "orchestrator", ...deadOwner }),
    );
    const { code, stdout } = await orchestra(["workers", "cleanup", "--grace", "500"]);
    expect(code).toBe(0);
    expect(stdout).toContain("found 1 worker");
    expect(stdout).toMatch(
      new RegExp(`killed\\s+coder \\(process, pid ${orphan.pid}\\): its owner pid ${deadOwner.pid} is gone`),
    );
    expect(stdout).toMatch(/removed\s+coder/);
  });

  it("rejects a bad --grace with a usage error", async () => {
    const { code, stderr } = await orchestra(["workers", "cleanup", "--grace", "soon"]);
    expect(code).toBe(2);
    expect(stderr).toContain("expected whole milliseconds from 0 to 60000");
  });
});
