import { spawnServerProcess, terminateGroup } from "@orchestra/process";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { RuntimeError } from "./runtime-error.js";
import { seedOpencodeConfigDirs } from "./workers/plugin-deps.js";

/**
 * The model catalog (`GET /provider`) read from a short-lived `opencode serve` in `directory`,
 * for an orchestra without a host server (the CLI; `cachedCatalog` calls it only when the cached
 * catalog is stale). The server is stopped before this returns, and at once when `signal` aborts
 * (a shutdown in the middle of a spawn). The config dirs' plugin-dependency install is pre-seeded
 * first, so stopping the server never interrupts that install; and the models.dev refresh is off,
 * as in workers, so the catalog is the one workers see.
 */
export async function temporaryCatalog(
  binary: string,
  directory: string,
  signal: AbortSignal,
  plugins: readonly string[] = [],
): Promise<OpencodeProviderList> {
  // The workers' plugins locate the @opencode-ai/plugin to link, as a worker would.
  seedOpencodeConfigDirs({ env: process.env, directory, binary, plugins });
  const server = await spawnServerProcess({
    binary,
    cwd: directory,
    env: {
      ...process.env,
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
    },
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
