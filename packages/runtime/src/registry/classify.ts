import { isSameProcess } from "@orchestra/process";
import type { RegistryEntry } from "./schema.js";

/**
 * What cleanup and recovery should make of a registry entry:
 * - `alive-owned`: the worker is alive and its owner orchestrator is alive and renewing it. Leave it.
 * - `alive-orphaned`: the worker is alive but its owner orchestrator is gone (pid + start time no
 *   longer match). Reconnect if it proves to be ours, otherwise kill it.
 * - `dead`: the worker's process is gone, or its pid now belongs to another process (start time
 *   differs). Remove the entry; never signal that pid.
 * - `expired`: the worker and its owner are alive, but the owner has not renewed the entry within
 *   `ttlMs`. The owner lost track of it; treat it like an orphan.
 * - `cli-owned-alive`: a live worker spawned by the `orchestra` CLI. It outlives the CLI and is
 *   never to be killed by cleanup, whatever its TTL (DECISIONS, "Workers and lifecycle").
 */
export type EntryClass = "alive-owned" | "alive-orphaned" | "dead" | "expired" | "cli-owned-alive";

/**
 * Classifies a registry entry by checking the worker's and the owner's identity (pid plus
 * start time) against the live system, and its TTL against `now`.
 *
 * For `session` entries `pid` is the host OpenCode server: "alive" means the host is alive, and
 * acting on an orphaned session means deleting the session, never killing `pid`.
 *
 * @param now - the current time in epoch milliseconds (injectable for tests).
 * @example if (classifyEntry(entry) === "dead") await registry.remove(entry.id);
 */
export function classifyEntry(entry: RegistryEntry, now: number = Date.now()): EntryClass {
  if (!isSameProcess(entry.pid, entry.processStartTime)) return "dead";
  if (entry.owner.kind === "cli") return "cli-owned-alive";
  if (!isSameProcess(entry.owner.pid, entry.owner.startTime)) return "alive-orphaned";
  if (now - entry.renewedAt > entry.ttlMs) return "expired";
  return "alive-owned";
}
