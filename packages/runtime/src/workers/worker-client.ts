import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2";

/** Environment variable that marks a process as an Open Orchestra worker (it never spawns workers). */
export const WORKER_ENV_FLAG = "ORCHESTRA_WORKER";

function basicAuth(password: string): string {
  return `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`;
}

/**
 * A client for a worker server protected by `password`, on the OpenCode instance of `directory`.
 * Without `directory`, the server's own working directory: a process worker's, which is its
 * worktree for a profile with `isolation: "worktree"` (OpenCode: `?directory`, else the
 * `x-opencode-directory` header, else `process.cwd()`). A session's events (`/event`) and its abort
 * belong to the instance it runs in, so a client on another directory misses them.
 */
export function workerClient(url: string, password: string | undefined, directory?: string): OpencodeClient {
  return createOpencodeClient({
    baseUrl: url,
    ...(directory === undefined ? {} : { directory }),
    ...(password === undefined ? {} : { headers: { Authorization: basicAuth(password) } }),
  });
}
