import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/** The environment variable that names the device registry for a process worker. */
export const REGISTRY_FILE_ENV = "ORCHESTRA_REGISTRY_FILE";

/**
 * The registry a process worker reads: the one its orchestrator names in {@link REGISTRY_FILE_ENV},
 * else the runtime's default, `$XDG_DATA_HOME/opencode/orchestra/registry.json` (a worker inherits
 * its orchestrator's environment).
 */
export function workerRegistryFile(env: NodeJS.ProcessEnv): string {
  const named = env[REGISTRY_FILE_ENV];
  if (named) return named;
  const data = env.XDG_DATA_HOME;
  const base = data && isAbsolute(data) ? data : join(homedir(), ".local", "share");
  return join(base, "opencode", "orchestra", "registry.json");
}

/**
 * The ports of every worker in the device registry (process workers' servers and the host servers
 * of session workers), read again whenever the file changes: a process worker reserves its
 * siblings' ports, including workers spawned after it (issue 11 review, bypass 10). The plugin of a
 * process worker runs in its OpenCode server, outside any sandbox, so it can read the registry
 * that the worker's own shell commands never see. A registry that cannot be read or parsed keeps
 * the last ports read.
 */
export function registryPorts(file: string | undefined): () => readonly number[] {
  let stamp = "";
  let ports: readonly number[] = [];
  return () => {
    if (file === undefined || file === "") return ports;
    const st = statSync(file, { throwIfNoEntry: false });
    const next = st ? `${st.mtimeMs}:${st.size}:${st.ino}` : "missing";
    if (next === stamp) return ports;
    try {
      const doc: unknown = st ? JSON.parse(readFileSync(file, "utf8")) : { entries: [] };
      const entries = (doc as { entries?: unknown }).entries;
      if (!Array.isArray(entries)) return ports;
      ports = entries.flatMap((e: unknown) => {
        const port = (e as { port?: unknown } | null)?.port;
        return typeof port === "number" && Number.isInteger(port) && port > 0 ? [port] : [];
      });
      stamp = next;
    } catch {
      // mid-write or damaged: keep the last ports read
    }
    return ports;
  };
}
