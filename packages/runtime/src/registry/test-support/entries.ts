import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrchestraError } from "@orchestra/core";
import { currentProcessIdentity } from "@orchestra/process";
import type { RegistryLogger } from "../logger.js";
import type { RegistryEntry } from "../schema.js";

/** A valid process-worker entry owned by the calling process, with `overrides` applied. */
export function makeEntry(overrides: Partial<RegistryEntry> = {}): RegistryEntry {
  const me = currentProcessIdentity();
  return {
    id: "coder",
    profile: "coder",
    kind: "process",
    pid: me.pid,
    pgid: me.pid,
    processStartTime: me.startTime,
    url: "http://127.0.0.1:4100",
    port: 4100,
    owner: { kind: "orchestrator", pid: me.pid, startTime: me.startTime },
    createdAt: 1_000,
    renewedAt: 1_000,
    ttlMs: 60_000,
    status: "ready",
    directory: "/tmp/project",
    ...overrides,
  };
}

/** A logger that keeps every warning, for assertions. */
export function memoryLogger(): RegistryLogger & { warnings: { message: string; details?: unknown }[] } {
  const warnings: { message: string; details?: unknown }[] = [];
  return {
    warnings,
    warn(message, details) {
      warnings.push({ message, details });
    },
  };
}

/** A fresh temporary directory and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "orchestra-registry-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Starts an idle Node process in its own process group (like a worker); stop it with `stopIdle`. */
export async function startIdle(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
    detached: true,
    stdio: "ignore",
  });
  await once(child, "spawn");
  if (child.pid === undefined) throw new Error("the idle process has no pid");
  return child as ChildProcess & { pid: number };
}

/** SIGKILLs a process from `startIdle` and waits until it has exited (and been reaped). */
export async function stopIdle(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** The `code` of the RegistryError that `fn` throws or rejects with; fails the test if none. */
export async function errorCode(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (OrchestraError.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error("expected an Open Orchestra error, but nothing was thrown");
}
