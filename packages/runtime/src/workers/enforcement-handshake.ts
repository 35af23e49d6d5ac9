import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import type { OpencodeClient } from "@opencode-ai/sdk/v2";

/**
 * Environment variable that hands a process worker's plugin its one-time handshake key. The plugin
 * removes it from its environment when it loads, so no command the worker runs inherits it.
 */
export const ENFORCEMENT_KEY_ENV = "ORCHESTRA_ENFORCEMENT_KEY";

/**
 * The tool a worker's plugin registers to answer the handshake. The worker's agent config switches
 * it off, so the worker's model is never offered it; the orchestrator reads its description through
 * the worker server's tool listing, which runs the plugin's `tool.definition` hook at that moment.
 */
export const ENFORCEMENT_TOOL = "orchestra_enforcement";

/** The description of {@link ENFORCEMENT_TOOL} before the plugin writes its proof into it. */
export const ENFORCEMENT_TOOL_DESCRIPTION =
  "Open Orchestra's start-up check that this worker's permissions are enforced. It does nothing; never call it.";

const PROOF = /\bproof: ([0-9a-f]{64})\b/;

/** A fresh random handshake key (one per worker start). */
export function newEnforcementKey(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The proof a worker's plugin gives: an HMAC of the worker id and the profile it enforces, keyed by
 * the handshake key. Only code that read the key from the worker's environment can compute it.
 */
export function enforcementProof(key: string, worker: { id: string; profile: string }): string {
  return createHmac("sha256", key)
    .update(`open-orchestra enforcement v1\n${worker.id}\n${worker.profile}`)
    .digest("hex");
}

/** The tool description that carries `proof`. */
export function proofDescription(proof: string): string {
  return `${ENFORCEMENT_TOOL_DESCRIPTION}\nproof: ${proof}`;
}

/**
 * Ask a worker's server for the enforcement proof and check it. Returns `undefined` when the proof
 * matches, else what went wrong (for the error message).
 */
export async function checkEnforcement(
  client: OpencodeClient,
  worker: { id: string; profile: string; model: { providerID: string; modelID: string } },
  key: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const listed = await client.tool.list(
    { provider: worker.model.providerID, model: worker.model.modelID },
    { signal: signal ?? null },
  );
  if (!listed.data) return `its tool listing failed (${JSON.stringify(listed.error).slice(0, 300)})`;
  const entry = listed.data.find((t) => t.id === ENFORCEMENT_TOOL);
  if (!entry)
    return `its OpenCode lists no \`${ENFORCEMENT_TOOL}\` tool, so the Open Orchestra plugin did not load there (or is an older version)`;
  const given = PROOF.exec(entry.description)?.[1];
  const expected = enforcementProof(key, worker);
  if (given === undefined || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
    return `the \`${ENFORCEMENT_TOOL}\` tool it lists carries no valid proof for worker ${worker.id} and profile ${worker.profile}, so it was not registered by an Open Orchestra plugin enforcing that profile`;
  return undefined;
}

/** OpenCode's log directory for a process with `env` (`$XDG_DATA_HOME/opencode/log`). */
export function opencodeLogDir(env: NodeJS.ProcessEnv): string {
  const data = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(data, "opencode", "log");
}
