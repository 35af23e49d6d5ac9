import { deny } from "../decision.js";
import type { PathPolicy } from "../paths.js";
import type { Arg } from "./arg.js";

/** Mutable analysis state: the possible working directories. */
export interface ShellState {
  /** Every directory the current command could run in. */
  cwds: string[];
  /** Directories left behind by a `cd` that may have failed. */
  fallback: string[];
  /** A `cd` happened where its effect cannot be followed. */
  unknownCwd: boolean;
  /** Nesting of loops and conditionals. */
  compound: number;
  /** Nesting of substitutions, wrappers and scripts. */
  depth: number;
}

/** How deeply substitutions, wrappers and scripts may nest. */
const MAX_DEPTH = 8;

/** Deny when commands nest too deeply to check. */
export function assertDepth(s: ShellState): void {
  if (s.depth > MAX_DEPTH) deny("shell.too-deep", "Commands nest too deeply to check.", "a flatter command");
}

/** The state a top-level command starts in: one known working directory. */
export function initialState(cwd: string): ShellState {
  return { cwds: [cwd], fallback: [], unknownCwd: false, compound: 0, depth: 0 };
}

/** Copy a state for a subshell, pipeline element or nested script. */
export function fork(s: ShellState): ShellState {
  return {
    cwds: [...s.cwds],
    fallback: [],
    unknownCwd: s.unknownCwd,
    compound: s.compound,
    depth: s.depth + 1,
  };
}

/** The state of a package.json script: nested, and run from the project root. */
export function packageScriptState(s: ShellState, root: string): ShellState {
  const state = fork(s);
  state.cwds = [root];
  state.unknownCwd = false;
  return state;
}

/** After a statement or before an `||` branch: a failed `cd` leaves its old directories possible. */
export function mergeFallback(s: ShellState): void {
  if (s.fallback.length === 0) return;
  for (const c of s.fallback) if (!s.cwds.includes(c)) s.cwds.push(c);
  s.fallback = [];
}

/**
 * Follow `cd`: every possible working directory moves to the target (each must be readable), and
 * the old ones stay possible until the statement ends (the `cd` may fail). Inside a loop or a
 * conditional, or with a target built at run time, the working directory becomes unknown.
 */
export function changeDirectory(paths: PathPolicy, args: readonly Arg[], s: ShellState): void {
  const ops = args.filter((a) => !(a.v.kind === "static" && /^-[LPe@]+$/.test(a.v.value)));
  if (s.compound > 0) {
    s.unknownCwd = true;
    return;
  }
  const target = ops[0];
  if (target === undefined) {
    s.fallback.push(...s.cwds);
    s.cwds = [paths.home];
    return;
  }
  if (target.v.kind !== "static" || target.v.value === "-") {
    s.unknownCwd = true;
    return;
  }
  let raw = target.v.value;
  if (target.v.tilde) raw = paths.expandHome(raw, false);
  if (target.v.home) raw = paths.home + raw.slice(5);
  const next = s.cwds.map((c) => paths.absolute(raw, c, "The `cd` target", false));
  for (const dir of next) {
    if (!paths.readable(dir)) paths.check(dir, "read", target.v.value);
  }
  s.fallback.push(...s.cwds);
  s.cwds = [...new Set(next)];
}
