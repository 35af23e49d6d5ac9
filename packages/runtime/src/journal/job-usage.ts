import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import type { JobTokens } from "./job-record.js";
import type { JobUsage } from "./journal.js";

/** Nothing known: the usage of a job whose worker could not be asked. */
const UNKNOWN_USAGE: JobUsage = { tokens: null, cost: null, costSource: null };

/** The fields of an OpenCode assistant message the usage is summed from. */
interface AssistantInfo {
  role: string;
  time?: { created?: number };
  cost?: number;
  providerID?: string;
  modelID?: string;
  tokens?: { input?: number; output?: number; reasoning?: number; cache?: { read?: number; write?: number } };
}

/**
 * The tokens and cost of a job: summed over the worker session's assistant messages created since
 * the job started (OpenCode's own figures; `cost` in USD is what OpenCode computes from the model's
 * prices, 0 for a model without prices). Unknown (`null`s) when the session cannot be read in
 * `timeoutMs` or has no assistant message of the job.
 */
export async function readJobUsage(
  client: OpencodeClient,
  sessionID: string,
  since: number,
  timeoutMs = 3_000,
): Promise<JobUsage> {
  const answer = await client.session
    .messages({ sessionID }, { signal: AbortSignal.timeout(timeoutMs) })
    .catch(() => undefined);
  const list = (answer?.data ?? []) as { info: AssistantInfo }[];
  const mine = list
    .map((m) => m.info)
    .filter((info) => info.role === "assistant" && (info.time?.created ?? 0) >= since);
  if (mine.length === 0) return UNKNOWN_USAGE;
  const tokens: JobTokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
  let cost = 0;
  for (const info of mine) {
    tokens.input += info.tokens?.input ?? 0;
    tokens.output += info.tokens?.output ?? 0;
    tokens.reasoning += info.tokens?.reasoning ?? 0;
    tokens.cacheRead += info.tokens?.cache?.read ?? 0;
    tokens.cacheWrite += info.tokens?.cache?.write ?? 0;
    cost += info.cost ?? 0;
  }
  const last = mine.at(-1);
  const model = last?.providerID && last.modelID ? `${last.providerID}/${last.modelID}` : null;
  return { tokens, cost, costSource: "opencode", model };
}
