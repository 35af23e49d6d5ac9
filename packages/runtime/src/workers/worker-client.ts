import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2";

/** Environment variable that marks a process as an Open Orchestra worker (it never spawns workers). */
export const WORKER_ENV_FLAG = "ORCHESTRA_WORKER";

function basicAuth(password: string): string {
  return `Basic ${Buffer.from(`opencode:${password}`).toString("base64")}`;
}

/** A client for a worker server protected by `password`. */
export function workerClient(url: string, password: string | undefined, directory: string): OpencodeClient {
  return createOpencodeClient({
    baseUrl: url,
    directory,
    ...(password === undefined ? {} : { headers: { Authorization: basicAuth(password) } }),
  });
}
