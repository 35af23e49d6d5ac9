import { spawnServerProcess, terminateGroup } from "@orchestra/process";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { RuntimeError } from "./runtime-error.js";

/**
 * The model catalog (`GET /provider`) read from a short-lived `opencode serve` in `directory`,
 * for an orchestra without a host server (the CLI). The server is stopped before this returns,
 * and at once when `signal` aborts (a shutdown in the middle of a spawn).
 */
export async function temporaryCatalog(
  binary: string,
  directory: string,
  signal: AbortSignal,
): Promise<OpencodeProviderList> {
  const server = await spawnServerProcess({
    binary,
    cwd: directory,
    env: process.env,
    timeoutMs: 60_000,
    signal,
  });
  const stop = () => void terminateGroup(server.pid, 0);
  signal.addEventListener("abort", stop, { once: true });
  try {
    const res = await fetch(`${server.url}/provider`, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
    });
    if (!res.ok)
      throw new RuntimeError(
        "WORKER_UNAVAILABLE",
        `GET /provider of a catalog server answered HTTP ${res.status}`,
        {
          hints: [`check that \`opencode serve\` starts in ${directory} with your providers configured`],
        },
      );
    return (await res.json()) as OpencodeProviderList;
  } finally {
    signal.removeEventListener("abort", stop);
    await terminateGroup(server.pid, 2_000);
  }
}
