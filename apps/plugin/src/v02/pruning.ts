import type { Hooks } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";

/** The hook OpenCode calls with the messages of each model request, before they are converted. */
type MessagesTransform = NonNullable<Hooks["experimental.chat.messages.transform"]>;
type WithParts = Parameters<MessagesTransform>[1]["messages"][number];
type Part = WithParts["parts"][number];

/** The `pruning` options the transform reads. */
export type PruningOptions = OrchestratorConfig["pruning"];

/** Every pruning marker starts with this (tests and readers can look for it). */
export const PRUNED_MARKER_PREFIX = "[Open Orchestra pruned";

const format = (n: number): string => n.toLocaleString("en-US");

/** The marker put where text was cut: how much, of what, which limit, and where the full text is. */
export function prunedMarker(cut: number, total: number, what: "output" | "input", limit: number): string {
  const option = what === "output" ? "maxToolOutputChars" : "maxToolInputChars";
  return (
    `${PRUNED_MARKER_PREFIX} ${format(cut)} of ${format(total)} characters of this tool ${what} ` +
    `(pruning.${option} is ${format(limit)}); the full ${what} is stored in the session.]`
  );
}

/**
 * `text` cut to `keep` characters, the first 60% and the last 40% (where errors and summaries
 * usually are), with `marker(cut)` in between. Unchanged when it is not longer than `keep`.
 */
export function shorten(text: string, keep: number, marker: (cut: number) => string): string {
  if (text.length <= keep) return text;
  const head = Math.floor(keep * 0.6);
  const tail = keep - head;
  const cut = text.length - keep;
  return `${text.slice(0, head)}\n\n${marker(cut)}\n\n${tail > 0 ? text.slice(text.length - tail) : ""}`;
}

/** The string values of a JSON value, anywhere inside it. */
function stringLengths(value: unknown, out: number[]): number[] {
  if (typeof value === "string") out.push(value.length);
  else if (Array.isArray(value)) for (const item of value) stringLengths(item, out);
  else if (typeof value === "object" && value !== null)
    for (const item of Object.values(value)) stringLengths(item, out);
  return out;
}

/**
 * The largest cap such that cutting every string longer than it down to it removes at least
 * `excess` characters (0 if even that is not enough: every string is then emptied but its marker).
 */
function capFor(lengths: readonly number[], excess: number): number {
  const removed = (cap: number) => lengths.reduce((sum, length) => sum + Math.max(0, length - cap), 0);
  let low = 0;
  let high = Math.max(0, ...lengths);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (removed(mid) >= excess) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** `value` with every string longer than `cap` shortened to `cap` characters (a new value). */
function capStrings(value: unknown, cap: number, limit: number): unknown {
  if (typeof value === "string")
    return shorten(value, cap, (cut) => prunedMarker(cut, value.length, "input", limit));
  if (Array.isArray(value)) return value.map((item) => capStrings(item, cap, limit));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capStrings(v, cap, limit)]));
  return value;
}

/**
 * A tool call's input whose JSON is longer than `limit`: its longest string values are shortened,
 * each to the same length, until about `limit` characters are left. The keys and the other values
 * stay, so the call still reads as a call of that tool. Unchanged when the JSON fits, or when it has
 * no strings to shorten.
 */
export function pruneInput(input: Record<string, unknown>, limit: number): Record<string, unknown> {
  const excess = JSON.stringify(input).length - limit;
  if (excess <= 0) return input;
  const lengths = stringLengths(input, []);
  if (lengths.length === 0) return input;
  return capStrings(input, capFor(lengths, excess), limit) as Record<string, unknown>;
}

/** The part as it should be sent to the model: a new object when something was cut, else `part`. */
export function prunePart(part: Part, options: PruningOptions): Part {
  if (part.type !== "tool" || options.protectedTools.includes(part.tool)) return part;
  const state = part.state;
  const input = pruneInput(state.input, options.maxToolInputChars);
  if (state.status !== "completed")
    return input === state.input ? part : { ...part, state: { ...state, input } };
  const limit = options.maxToolOutputChars;
  const output = shorten(state.output, limit, (cut) =>
    prunedMarker(cut, state.output.length, "output", limit),
  );
  if (input === state.input && output === state.output) return part;
  return { ...part, state: { ...state, input, output } };
}

/**
 * `pruning`: the `experimental.chat.messages.transform` hook that cuts long tool outputs and inputs
 * in the messages OpenCode is about to send to the model, each with a marker saying how much was
 * cut. Tools in `protectedTools` are never cut. Messages and parts are replaced by pruned copies,
 * never changed in place, so what the session stores (and shows) stays whole. `undefined` when
 * `pruning.enabled` is off.
 */
export function pruningTransform(options: PruningOptions): MessagesTransform | undefined {
  if (!options.enabled) return undefined;
  return async (_input, output) => {
    const messages = output.messages;
    for (const [index, message] of messages.entries()) {
      const parts = message.parts.map((part) => prunePart(part, options));
      // OpenCode keeps using this array: its entries are replaced, the array itself stays.
      if (parts.some((part, i) => part !== message.parts[i])) messages[index] = { ...message, parts };
    }
  };
}
