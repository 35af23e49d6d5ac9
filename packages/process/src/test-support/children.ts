import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { OrchestraError } from "@orchestra/core";

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

/** The `code` of the Open Orchestra error that `fn` throws or rejects with; fails the test if none. */
export async function errorCode(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (OrchestraError.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error("expected an Open Orchestra error, but nothing was thrown");
}

/** Polls `check` every 20 ms until it holds; throws naming `what` after `capMs` (a generous cap). */
export async function waitUntil(check: () => boolean, what: string, capMs = 20_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${capMs} ms`);
    await sleep(20);
  }
}

/** The environment of the shell children in tests. */
export const shellEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
