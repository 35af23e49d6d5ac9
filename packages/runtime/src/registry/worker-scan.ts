import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { resolve } from "node:path";
import { ownerFromEnv, processStartTime } from "@orchestra/process";
import { hashPassword } from "./password-hash.js";
import { defaultRegistryFile } from "./paths.js";
import { type RegistryEntry, RegistryEntrySchema } from "./schema.js";

/**
 * The environment variable naming the device registry a process worker is recorded in (set by
 * `createOrchestra` for every worker it spawns). Without it, a worker belongs to the default
 * registry of its own environment (`XDG_DATA_HOME`).
 */
export const REGISTRY_FILE_ENV = "ORCHESTRA_REGISTRY_FILE";

/** The marker every process worker carries in its environment (`WORKER_ENV_FLAG` of spawn.ts). */
const WORKER_MARKER = "ORCHESTRA_WORKER";
/** TTL of a recovered entry: the registry's default (24 h); a live owner renews it anyway. */
const RECOVERED_TTL_MS = 86_400_000;

function readEnviron(pid: number): Record<string, string> | undefined {
  try {
    const env: Record<string, string> = {};
    for (const pair of readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")) {
      const eq = pair.indexOf("=");
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return env;
  } catch {
    // Gone, or another user's process (EACCES): not ours to recover.
    return undefined;
  }
}

/** Parent pid and process group of `pid`, from `/proc/<pid>/stat`. */
function statOf(pid: number): { ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat
      .slice(stat.lastIndexOf(")") + 1)
      .trim()
      .split(/\s+/);
    return { ppid: Number(fields[1]), pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** The TCP port `pid` listens on (its socket inodes matched against `/proc/<pid>/net/tcp*`). */
function listeningPort(pid: number): number | undefined {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const link = (() => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return "";
        }
      })();
      const match = /^socket:\[(\d+)\]$/.exec(link);
      if (match?.[1]) inodes.add(match[1]);
    }
  } catch {
    return undefined;
  }
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is `<hex ip>:<hex port>`, st 0A is LISTEN, inode is column 10.
      const port = cols[1]?.split(":")[1];
      if (cols[3] === "0A" && port !== undefined && inodes.has(cols[9] ?? ""))
        return Number.parseInt(port, 16);
    }
  }
  return undefined;
}

function modelOf(env: Record<string, string>): string | undefined {
  try {
    const model = (JSON.parse(env.OPENCODE_CONFIG_CONTENT ?? "{}") as { model?: unknown }).model;
    return typeof model === "string" && model !== "" ? model : undefined;
  } catch {
    return undefined;
  }
}

function cwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

interface Marked {
  pid: number;
  ppid: number;
  pgrp: number;
  env: Record<string, string>;
}

/** This user's live processes carrying the worker marker and recorded in `registryFile`. */
function markedProcesses(registryFile: string): Marked[] {
  let pids: number[];
  try {
    pids = readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return []; // No /proc (macOS, the BSDs): nothing to scan.
  }
  const marked: Marked[] = [];
  for (const pid of pids) {
    if (pid === process.pid) continue;
    const env = readEnviron(pid);
    if (env?.[WORKER_MARKER] !== "1" || !env.ORCHESTRA_WORKER_ID) continue;
    const recordedIn = env[REGISTRY_FILE_ENV] || defaultRegistryFile(env);
    if (resolve(recordedIn) !== registryFile) continue;
    const stat = statOf(pid);
    if (stat) marked.push({ pid, ...stat, env });
  }
  return marked;
}

/**
 * The process workers of `registryFile` that are running now, found without the registry: every
 * process of this user whose environment carries the worker marker (`ORCHESTRA_WORKER=1`, its id
 * and profile) and names this registry, that leads its own process group, and whose parent is not
 * the same worker (its bash-tool children carry the marker too). Each is recorded by identity
 * (pid + start time, read now), with its port, model, directory, password hash and owner (an
 * orchestrator from `ORCHESTRA_OWNER`; otherwise a CLI worker, its own identity standing in for
 * the unknown CLI process). Linux only (`/proc`); empty elsewhere.
 */
export function scanWorkerProcesses(registryFile: string, now: number = Date.now()): RegistryEntry[] {
  const file = resolve(registryFile);
  const marked = markedProcesses(file);
  const byPid = new Map(marked.map((m) => [m.pid, m]));
  const entries: RegistryEntry[] = [];
  for (const m of marked) {
    const id = m.env.ORCHESTRA_WORKER_ID ?? "";
    if (m.pgrp !== m.pid || byPid.get(m.ppid)?.env.ORCHESTRA_WORKER_ID === id) continue;
    const startTime = processStartTime(m.pid);
    const directory = cwdOf(m.pid);
    if (startTime === undefined || directory === undefined) continue;
    const port = listeningPort(m.pid);
    const owner = ownerFromEnv(m.env);
    const model = modelOf(m.env);
    const password = m.env.OPENCODE_SERVER_PASSWORD;
    const candidate = {
      id,
      profile: m.env.ORCHESTRA_WORKER_PROFILE ?? "",
      kind: "process",
      pid: m.pid,
      pgid: m.pid,
      processStartTime: startTime,
      url: port === undefined ? null : `http://127.0.0.1:${port}`,
      port: port ?? null,
      owner: owner
        ? { kind: "orchestrator", pid: owner.pid, startTime: owner.startTime }
        : { kind: "cli", pid: m.pid, startTime },
      createdAt: now,
      renewedAt: now,
      ttlMs: RECOVERED_TTL_MS,
      status: port === undefined ? "starting" : "ready",
      ...(password ? { passwordHash: hashPassword(password) } : {}),
      ...(model === undefined ? {} : { model }),
      directory,
    };
    const parsed = RegistryEntrySchema.safeParse(candidate);
    if (parsed.success) entries.push(parsed.data);
  }
  return entries;
}
