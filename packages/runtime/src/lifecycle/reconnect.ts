import { readdirSync, readFileSync } from "node:fs";
import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { isGroupAlive, isSameProcess, killGroup, processStartTime, terminateGroup } from "@orchestra/process";
import type { RegistryEntry } from "../registry/schema.js";
import { WORKER_AGENT } from "../workers/spawn.js";
import { type ModelRef, Worker } from "../workers/worker.js";
import { workerClient } from "../workers/worker-client.js";

/** `provider/model` → `{ providerID, modelID }`, or `undefined` when it has no slash. */
function parseModelRef(model: string | undefined): ModelRef | undefined {
  if (model === undefined) return undefined;
  const slash = model.indexOf("/");
  if (slash <= 0 || slash === model.length - 1) return undefined;
  return { providerID: model.slice(0, slash), modelID: model.slice(slash + 1) };
}

/**
 * Prove that a live process worker is ours: `GET <url>/session/<sessionId>` with the derived
 * password must answer 200. A 401 means the server runs with another password (not ours).
 */
export async function proveProcessWorker(
  entry: RegistryEntry,
  password: string,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (entry.url === null || entry.sessionId === undefined)
    return { ok: false, reason: "the entry has no url or session" };
  const auth = `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`;
  try {
    const response = await fetch(`${entry.url}/session/${encodeURIComponent(entry.sessionId)}`, {
      headers: { authorization: auth, accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 200) return { ok: true };
    return { ok: false, reason: `its server answered HTTP ${response.status} to our credentials` };
  } catch (error) {
    return { ok: false, reason: `its server did not answer: ${(error as Error).message}` };
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat
      .slice(stat.lastIndexOf(")") + 1)
      .trim()
      .split(/\s+/);
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The live descendants of `pid` with their start times (Linux `/proc`; empty elsewhere). Bash-tool
 * commands run in their own process groups, so killing the worker's group misses them.
 */
export function descendantsOf(pid: number): Array<{ pid: number; startTime: string }> {
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const p of pids) {
    const parent = parentOf(p);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(p);
    children.set(parent, list);
  }
  const out: Array<{ pid: number; startTime: string }> = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    const startTime = processStartTime(next);
    if (startTime !== undefined) out.push({ pid: next, startTime });
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

/**
 * Stop a process worker known only by its registry entry (no child handle): dispose its
 * OpenCode instance when we can authenticate (so bash-tool children die too), then SIGTERM and
 * finally SIGKILL its process group, but only while pid + start time still identify it.
 */
export async function stopEntryProcess(
  entry: RegistryEntry,
  graceMs: number,
  password?: string,
): Promise<"exited" | "terminated" | "killed" | "not-ours"> {
  if (entry.pgid === null) return "not-ours";
  if (password !== undefined && entry.url !== null) {
    await workerClient(entry.url, password) // its own directory (its worktree, if isolated)
      .instance.dispose({}, { signal: AbortSignal.timeout(Math.min(2_000, graceMs + 500)) })
      .catch(() => undefined);
  }
  // Identity first: a reused pid is another process, and must never be signalled.
  if (!isSameProcess(entry.pid, entry.processStartTime)) return "exited";
  // Without the password there was no dispose: find bash-tool children outside the group first.
  const strays = descendantsOf(entry.pid);
  const outcome = await terminateGroup(entry.pgid, graceMs);
  for (const stray of strays) {
    if (!isSameProcess(stray.pid, stray.startTime)) continue;
    try {
      process.kill(stray.pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  return outcome;
}

/**
 * Kill what is left of a dead worker's process group (bash-tool children that outlived the
 * server), only when it is safe: the leader is gone (no process has pid = pgid, so the id was
 * not reused) and the group still has members. Returns whether a group was signalled.
 */
export function killLeftoverGroup(entry: RegistryEntry): boolean {
  if (entry.pgid === null || entry.pgid <= 1) return false;
  if (processStartTime(entry.pgid) !== undefined) return false;
  if (!isGroupAlive(entry.pgid)) return false;
  return killGroup(entry.pgid, "SIGKILL");
}

/** A {@link Worker} for a live process worker found in the registry, driven with `password`. */
export function reconnectedProcessWorker(entry: RegistryEntry, password: string): Worker | undefined {
  const model = parseModelRef(entry.model);
  if (entry.url === null || entry.sessionId === undefined || model === undefined || entry.pgid === null)
    return undefined;
  // Its own directory (its worktree when isolated), not the project directory of the entry.
  const client = workerClient(entry.url, password);
  const snapshot = { ...entry };
  return new Worker({
    info: {
      id: entry.id,
      profile: entry.profile,
      kind: "process",
      status: "ready",
      model: entry.model ?? "",
      url: entry.url,
      ...(entry.port === null ? {} : { port: entry.port }),
      pid: entry.pid,
      sessionId: entry.sessionId,
      startedAt: entry.createdAt,
    },
    client,
    model,
    agent: WORKER_AGENT,
    onStop: async (graceMs) => {
      await stopEntryProcess(snapshot, graceMs, password);
    },
  });
}

/** A {@link Worker} for a session worker found in the registry, on our own host server. */
export function reconnectedSessionWorker(entry: RegistryEntry, host: OpencodeClient): Worker | undefined {
  const model = parseModelRef(entry.model);
  if (entry.sessionId === undefined || model === undefined || entry.url === null) return undefined;
  const sessionID = entry.sessionId;
  return new Worker({
    info: {
      id: entry.id,
      profile: entry.profile,
      kind: "session",
      status: "ready",
      model: entry.model ?? "",
      url: entry.url,
      sessionId: sessionID,
      startedAt: entry.createdAt,
    },
    client: host,
    model,
    onStop: async () => {
      await host.session.abort({ sessionID }).catch(() => undefined);
    },
  });
}
