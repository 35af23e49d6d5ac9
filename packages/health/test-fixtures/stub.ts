import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Path of the stub worker script. */
const STUB_WORKER = fileURLToPath(new URL("./stub-worker.mjs", import.meta.url));

/** A running stub worker: its own process group (pgid = pid), and its URL once it listens. */
export interface Stub {
  child: ChildProcess;
  pid: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started = new Set<number>();

/** Start the stub in its own process group and wait for its `listening on` line. */
export async function startStub(args: string[] = []): Promise<Stub> {
  const child = spawn(process.execPath, [STUB_WORKER, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("the stub worker did not start");
  started.add(pid);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      buffer += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(buffer);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once("exit", (code, signal) =>
      reject(new Error(`the stub worker exited before listening (${code ?? signal})`)),
    );
  });
  return { child, pid, url, exited };
}

/** SIGKILL every process group started by {@link startStub} (SIGKILL also ends stopped ones). */
export function killAllStubs(): void {
  for (const pgid of started) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  started.clear();
}

/** True while process group `pgid` has a member. */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
