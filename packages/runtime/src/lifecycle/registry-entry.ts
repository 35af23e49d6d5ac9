import { processStartTime } from "@orchestra/process";
import { hashPassword } from "../registry/password-hash.js";
import type { RegistryEntry, RegistryOwner } from "../registry/schema.js";
import type { Worker } from "../workers/worker.js";

/** What every entry of one lifecycle shares. */
export interface EntryContext {
  owner: RegistryOwner;
  directory: string;
  ttlMs: number;
  /** The pid recorded for session workers (their host server). */
  hostPid: number;
}

/**
 * The `starting` entry of a process worker just launched (pid known, not yet listening), so that
 * cleanup and recovery can find it if its owner dies before it is ready. `undefined` when the
 * process is already gone.
 */
export function startingEntry(
  ctx: EntryContext,
  launch: { id: string; profile: string; pid: number; createdAt: number; password: string | undefined },
): RegistryEntry | undefined {
  const startTime = processStartTime(launch.pid);
  if (startTime === undefined) return undefined;
  const now = Date.now();
  return {
    id: launch.id,
    profile: launch.profile,
    kind: "process",
    pid: launch.pid,
    pgid: launch.pid,
    processStartTime: startTime,
    url: null,
    port: null,
    owner: { ...ctx.owner },
    createdAt: launch.createdAt,
    renewedAt: now,
    ttlMs: ctx.ttlMs,
    status: "starting",
    ...(launch.password === undefined ? {} : { passwordHash: hashPassword(launch.password) }),
    directory: ctx.directory,
  };
}

/**
 * The `ready` entry of a worker that became ready; `undefined` when its process is already gone
 * (the exit handler cleans up).
 */
export function readyEntry(
  ctx: EntryContext,
  worker: Worker,
  createdAt: number,
  password: string | undefined,
): RegistryEntry | undefined {
  const info = worker.info;
  const pid = info.kind === "process" ? info.pid : ctx.hostPid;
  if (pid === undefined) return undefined;
  const startTime = processStartTime(pid);
  if (startTime === undefined) return undefined;
  const now = Date.now();
  return {
    id: info.id,
    profile: info.profile,
    kind: info.kind,
    pid,
    pgid: info.kind === "process" ? pid : null,
    processStartTime: startTime,
    url: info.url === "" ? null : info.url,
    port: info.port ?? null,
    owner: { ...ctx.owner },
    createdAt,
    renewedAt: now,
    ttlMs: ctx.ttlMs,
    status: "ready",
    ...(password === undefined ? {} : { passwordHash: hashPassword(password) }),
    ...(info.sessionId ? { sessionId: info.sessionId } : {}),
    ...(info.model ? { model: info.model } : {}),
    directory: ctx.directory,
  };
}
