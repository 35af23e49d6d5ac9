import { readdirSync, readFileSync } from "node:fs";

/** One process as `/proc/<pid>/stat` describes it. */
export interface ProcStat {
  pid: number;
  /** Field 3: `R`, `S`, `Z` (zombie), … */
  state: string;
  ppid: number;
  /** The process-group id. */
  pgid: number;
  /** Field 22: start time in clock ticks after boot. */
  startTicks: string;
}

let procFs: boolean | undefined;

/** True where `/proc` describes processes (Linux). */
export function hasProcFs(): boolean {
  if (procFs === undefined) {
    try {
      readFileSync("/proc/self/stat", "utf8");
      procFs = true;
    } catch {
      procFs = false;
    }
  }
  return procFs;
}

/** True for states of a process that is dead but not yet reaped (or being reaped). */
export function isDeadState(state: string): boolean {
  return state === "Z" || state === "X" || state === "x";
}

/**
 * Parses `/proc/<pid>/stat`. Field 2 (`comm`) is in parentheses and may itself contain spaces and
 * parentheses, so the fields are counted from the last `)`. Returns `undefined` when no such
 * process exists, `null` when `/proc` is unavailable or unreadable.
 */
export function readProcStat(pid: number): ProcStat | undefined | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === "ENOENT" || code === "ESRCH") && hasProcFs()) return undefined;
    return null;
  }
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  // fields[0] is field 3 (state), [1] ppid, [2] pgrp, [19] field 22 (starttime).
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const [state, ppid, pgid] = fields;
  const startTicks = fields[19];
  if (state === undefined || startTicks === undefined || !/^\d+$/.test(startTicks)) return null;
  return { pid, state, ppid: Number(ppid), pgid: Number(pgid), startTicks };
}

/** Every live (non-zombie) process, from `/proc` (`[]` where there is none). */
export function liveProcs(): ProcStat[] {
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat && !isDeadState(stat.state)) out.push(stat);
  }
  return out;
}
