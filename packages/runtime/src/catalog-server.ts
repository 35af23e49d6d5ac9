import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { spawnServerProcess, terminateGroup } from "@orchestra/process";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { RuntimeError } from "./runtime-error.js";
import { seedOpencodeConfigDirs } from "./workers/plugin-deps.js";

/** What the resolver reads from OpenCode: the catalog and the user's default model. */
export interface OpencodeCatalog {
  /** The `GET /provider` answer. */
  catalog: OpencodeProviderList;
  /** `model` of the merged OpenCode config (`GET /config`): what `auto` is, when usable. */
  defaultModel?: string;
}

/** The user's default model in an OpenCode config (`GET /config`'s `model`), when it names one. */
export function defaultModelOf(config: unknown): string | undefined {
  const model = (config as { model?: unknown } | undefined)?.model;
  return typeof model === "string" && model.includes("/") ? model : undefined;
}

async function getJson(url: string, signal: AbortSignal, directory: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
  if (!res.ok)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `GET ${new URL(url).pathname} of a catalog server answered HTTP ${res.status}`,
      { hints: [`check that \`opencode serve\` starts in ${directory} with your providers configured`] },
    );
  return res.json();
}

/**
 * The model catalog (`GET /provider`) and the user's default model (`GET /config`'s `model`)
 * read from a short-lived `opencode serve` in `directory`,
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
): Promise<OpencodeCatalog> {
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
    const [catalog, config] = await Promise.all([
      getJson(`${server.url}/provider`, signal, directory),
      getJson(`${server.url}/config`, signal, directory),
    ]);
    const defaultModel = defaultModelOf(config);
    return {
      catalog: catalog as OpencodeProviderList,
      ...(defaultModel === undefined ? {} : { defaultModel }),
    };
  } finally {
    signal.removeEventListener("abort", stop);
    await terminateGroup(server.pid, 2_000);
  }
}

/**
 * The catalog and the user's default model read from a running OpenCode server (a process worker
 * just started, whose config is the user's own plus the worker's inline config).
 */
export async function catalogOf(client: OpencodeClient, signal?: AbortSignal): Promise<OpencodeCatalog> {
  const options = { signal: signal ?? null };
  const [providers, config] = await Promise.all([
    client.provider.list({}, options),
    client.config.get({}, options),
  ]);
  if (!providers.data)
    throw new RuntimeError(
      "WORKER_UNAVAILABLE",
      `GET /provider of a new worker failed: ${JSON.stringify(providers.error).slice(0, 300)}`,
    );
  const defaultModel = defaultModelOf(config.data);
  return {
    catalog: providers.data as unknown as OpencodeProviderList,
    ...(defaultModel === undefined ? {} : { defaultModel }),
  };
}
