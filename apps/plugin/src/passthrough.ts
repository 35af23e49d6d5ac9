import { randomBytes } from "node:crypto";
import type { Hooks } from "@opencode-ai/plugin";
import { OrchestraError } from "@orchestra/core";
import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "./activity.js";

type ChatMessageHook = NonNullable<Hooks["chat.message"]>;
type Part = Parameters<ChatMessageHook>[1]["parts"][number];
type TextPart = Extract<Part, { type: "text" }>;

/** How long a forwarded message may wait for the worker, unless `set_passthrough` says otherwise. */
export const DEFAULT_PASSTHROUGH_TIMEOUT_MS = 300_000;

/** One session's passthrough: where its user messages go. */
export interface PassthroughRoute {
  workerId: string;
  timeoutMs: number;
  since: number;
}

/**
 * Which sessions route their user messages to a worker. One entry per host session: the
 * passthrough of one conversation never affects another.
 */
export class PassthroughRoutes {
  readonly #routes = new Map<string, PassthroughRoute>();

  /** Route `sessionID`'s next user messages to `workerId`; returns the route it replaced, if any. */
  set(
    sessionID: string,
    workerId: string,
    timeoutMs = DEFAULT_PASSTHROUGH_TIMEOUT_MS,
  ): PassthroughRoute | undefined {
    const previous = this.#routes.get(sessionID);
    this.#routes.set(sessionID, { workerId, timeoutMs, since: Date.now() });
    return previous;
  }

  /** Stop routing `sessionID`; returns the route that was on, if any. */
  clear(sessionID: string): PassthroughRoute | undefined {
    const previous = this.#routes.get(sessionID);
    this.#routes.delete(sessionID);
    return previous;
  }

  get(sessionID: string): PassthroughRoute | undefined {
    return this.#routes.get(sessionID);
  }
}

let counter = 0;

/**
 * A new OpenCode part id (`prt_` + 12 hex digits of time·4096+counter + 14 base62 characters,
 * the format OpenCode itself uses), so it sorts after the parts the message already has.
 */
export function newPartId(now = Date.now()): string {
  counter = (counter + 1) % 4096;
  const stamp = (BigInt(now) * 0x1000n + BigInt(counter)).toString(16).padStart(12, "0").slice(-12);
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const random = Array.from(randomBytes(14), (b) => alphabet[b % 62]).join("");
  return `prt_${stamp}${random}`;
}

/** The text the host model gets with the user's message while passthrough is on. */
export function relayText(workerId: string, answer: string): string {
  return [
    `[Passthrough is on: this message was sent to worker ${workerId}, which answered as follows.]`,
    answer || "(the worker answered with no text)",
    `[Relay the answer of ${workerId} to the user as it is, without redoing the work. If the user asked to leave passthrough or to talk to you instead, call clear_passthrough.]`,
  ].join("\n");
}

/**
 * The `chat.message` hook of passthrough: while a session has a route, each user message's
 * text is sent to the worker first, and a text part with the worker's answer and an instruction
 * to relay it is added to the message, in place. A failure is reported in the same way, never
 * swallowed; a worker that is gone ends the passthrough.
 */
export function passthroughRouting(
  orchestra: Orchestra,
  routes: PassthroughRoutes,
  activity: Activity,
): ChatMessageHook {
  return async (input, output) => {
    const route = routes.get(input.sessionID);
    if (!route) return;
    const text = output.parts
      .filter((p): p is TextPart => p.type === "text" && !p.synthetic && !p.ignored)
      .map((p) => p.text)
      .join("\n")
      .trim();
    if (!text) return;
    let relay: string;
    try {
      const answer = await orchestra.ask(route.workerId, text, { timeoutMs: route.timeoutMs });
      activity.log(
        "passthrough",
        `message forwarded to ${route.workerId}, answered in ${Math.round(answer.durationMs)} ms`,
      );
      activity.result({
        workerId: route.workerId,
        prompt: text,
        text: answer.text,
        durationMs: answer.durationMs,
      });
      relay = relayText(route.workerId, answer.text);
    } catch (error) {
      const gone =
        OrchestraError.isInstance(error) &&
        (error.code === "WORKER_NOT_FOUND" || error.code === "WORKER_UNAVAILABLE");
      if (gone) routes.clear(input.sessionID);
      const why = error instanceof Error ? error.message : String(error);
      activity.log("passthrough", `forwarding to ${route.workerId} failed: ${why}`);
      relay = `[Passthrough to worker ${route.workerId} failed: ${why}. ${
        gone
          ? "Passthrough is now off; answer the user yourself, or start the worker again and call set_passthrough."
          : "Tell the user, then retry, or call clear_passthrough to answer yourself."
      }]`;
    }
    const anchor = output.parts[0];
    const part: TextPart = {
      id: newPartId(),
      sessionID: anchor?.sessionID ?? input.sessionID,
      messageID: anchor?.messageID ?? output.message.id,
      type: "text",
      text: relay,
      synthetic: true,
    };
    // Mutate the array itself: OpenCode keeps its own reference to it.
    output.parts.splice(output.parts.length, 0, part);
  };
}
