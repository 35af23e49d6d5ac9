import { liveProcs, readProcStat } from "./proc.js";

/** A descendant seen at one moment: enough to signal it later without hitting a reused pid. */
export interface Descendant {
  pid: number;
  pgid: number;
  /** Start ticks from `/proc`, compared before any later signal. */
  startTicks: string;
}

/**
 * Live descendants of `pid` (children, grandchildren, …), from `/proc` (Linux; `[]` elsewhere).
 * Take this snapshot while `pid` is alive: once it dies its children are re-parented and the chain
 * is lost. Descendants that moved to another process group (for example OpenCode's bash-tool
 * commands) are included; signals to the group do not reach them.
 */
export function processDescendants(pid: number): Descendant[] {
  const byParent = new Map<number, Descendant[]>();
  for (const p of liveProcs()) {
    const siblings = byParent.get(p.ppid) ?? [];
    siblings.push({ pid: p.pid, pgid: p.pgid, startTicks: p.startTicks });
    byParent.set(p.ppid, siblings);
  }
  const out: Descendant[] = [];
  const queue = [pid];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of byParent.get(next) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** True while `d` is still the same live process (its pid was not reused). */
function isSameDescendant(d: Descendant): boolean {
  const now = readProcStat(d.pid);
  return now !== undefined && now !== null && now.startTicks === d.startTicks && now.state !== "Z";
}

/**
 * Send `signal` to each descendant of a snapshot that is still the same process. Returns how many
 * were signalled. Never signals a pid that has since been given to another process.
 */
export function signalDescendants(snapshot: readonly Descendant[], signal: NodeJS.Signals): number {
  let count = 0;
  for (const d of snapshot) {
    if (!isSameDescendant(d)) continue;
    try {
      process.kill(d.pid, signal);
      count++;
    } catch {
      // gone meanwhile
    }
  }
  return count;
}
