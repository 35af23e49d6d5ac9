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
  /** The step's finish reason, set when the step finished (absent for a step cut short). */
  finish?: string;
  /** Why the step failed or was aborted. */
  error?: unknown;
  tokens?: { input?: number; output?: number; reasoning?: number; cache?: { read?: number; write?: number } };
}

/** The five token counts of a step, from an OpenCode assistant message's `tokens` (missing ones 0). */
export function stepTokens(info: Pick<AssistantInfo, "tokens">): JobTokens {
  const t = info.tokens;
  return {
    input: t?.input ?? 0,
    output: t?.output ?? 0,
    reasoning: t?.reasoning ?? 0,
    cacheRead: t?.cache?.read ?? 0,
    cacheWrite: t?.cache?.write ?? 0,
  };
}

/**
 * Whether a step's usage is unknown: it errored or was aborted before its step finish (OpenCode
 * then records 0 tokens and cost 0 although the provider may have billed it), or the provider's
 * figures are negative.
 */
function isUnknownStep(info: AssistantInfo): boolean {
  if (info.error !== undefined && info.finish === undefined) return true;
  return (info.cost ?? 0) < 0 || Object.values(stepTokens(info)).some((n) => n < 0);
}

/**
 * The usage of a job from its worker session's messages: the assistant messages (steps) created
 * at or after `since`, OpenCode's own figures. A step of unknown usage ({@link isUnknownStep})
 * makes the cost unknown (`null`, never a known 0; `unknownSteps` counts them) and adds no tokens,
 * so `tokens` counts the known steps. Unknown (`null`s) when the job has no step.
 */
export function usageOfMessages(infos: readonly AssistantInfo[], since: number): JobUsage {
  const mine = infos.filter((info) => info.role === "assistant" && (info.time?.created ?? 0) >= since);
  if (mine.length === 0) return UNKNOWN_USAGE;
  const tokens: JobTokens = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
  let cost = 0;
  let unknownSteps = 0;
  for (const info of mine) {
    if (isUnknownStep(info)) {
      unknownSteps++;
      continue;
    }
    const t = stepTokens(info);
    tokens.input += t.input;
    tokens.output += t.output;
    tokens.reasoning += t.reasoning;
    tokens.cacheRead += t.cacheRead;
    tokens.cacheWrite += t.cacheWrite;
    cost += info.cost ?? 0;
  }
  const last = mine.at(-1);
  const model = last?.providerID && last.modelID ? `${last.providerID}/${last.modelID}` : null;
  if (unknownSteps > 0) return { tokens, cost: null, costSource: null, model, unknownSteps, knownCost: cost };
  return { tokens, cost, costSource: "opencode", model };
}

/**
 * The tokens and cost of a job: summed over the worker session's assistant messages created since
 * the job started (see {@link usageOfMessages}; `cost` in USD is what OpenCode computes from the
 * model's prices, 0 for a model without prices). Unknown (`null`s) when the session cannot be read
 * in `timeoutMs` or has no assistant message of the job.
 */
export async function readJobUsage(
  client: OpencodeClient,
  sessionID: string,
  since: number,
  timeoutMs = 3_000,
): Promise<JobUsage> {
  const signal = AbortSignal.timeout(timeoutMs);
  const answer = await client.session.messages({ sessionID }, { signal }).catch(() => undefined);
  if (answer?.data === undefined) return UNKNOWN_USAGE;
  const infos = (answer.data as { info: AssistantInfo }[]).map((m) => m.info);
  // The job's `task` subagents run in child sessions of the worker's session (at any depth).
  for (const child of await childSessions(client, sessionID, since, signal)) {
    const more = await client.session.messages({ sessionID: child }, { signal }).catch(() => undefined);
    // A child session that cannot be read: its spend is unknown, never 0.
    if (more?.data === undefined)
      infos.push({ role: "assistant", time: { created: since }, error: "unread" });
    else infos.push(...(more.data as { info: AssistantInfo }[]).map((m) => m.info));
  }
  return usageOfMessages(infos, since);
}

/** The child sessions (OpenCode `parentID`, at any depth) of `sessionID` updated since `since`. */
async function childSessions(
  client: OpencodeClient,
  sessionID: string,
  since: number,
  signal: AbortSignal,
): Promise<string[]> {
  const out: string[] = [];
  const queue = [sessionID];
  while (queue.length > 0) {
    const parent = queue.shift() as string;
    const answer = await client.session.children({ sessionID: parent }, { signal }).catch(() => undefined);
    for (const child of (answer?.data ?? []) as { id: string; time?: { updated?: number } }[]) {
      if ((child.time?.updated ?? since) < since || out.includes(child.id)) continue;
      out.push(child.id);
      queue.push(child.id);
    }
  }
  return out;
}
