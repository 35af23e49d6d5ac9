import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Home } from "./harness.js";

const SCRIPT = fileURLToPath(new URL("../../../test-fixtures/child-orchestrator.ts", import.meta.url));

/** A child-process orchestrator and its stdout lines. */
export interface ChildOrchestrator {
  child: ChildProcess;
  pid: number;
  lines: string[];
  /** Resolves with the first line starting with `prefix`. */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `test-fixtures/child-orchestrator.ts` in `mode` with extra environment. */
export function startChildOrchestrator(
  home: Home,
  mode: "spawn2" | "signals" | "lease",
  env: Record<string, string> = {},
): ChildOrchestrator {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, JSON.stringify(home), mode], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid ?? 0,
    lines,
    exited,
    async line(prefix, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found !== undefined) return found;
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`child orchestrator exited before printing "${prefix}": ${lines.join(" | ")}`);
        if (Date.now() > deadline)
          throw new Error(`no "${prefix}" line within ${timeoutMs} ms: ${lines.join(" | ")}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
  };
}
