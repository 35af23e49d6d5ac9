import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import { type Orchestra, RuntimeError } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import { DEFAULT_PASSTHROUGH_TIMEOUT_MS, type PassthroughRoutes } from "../passthrough.js";
import { formatArg, guarded, respond } from "./format.js";

const z = tool.schema;

/** The profile `enable_docs_passthrough` routes to. */
const DOCS_PROFILE = "docs";

const timeoutArg = z
  .number()
  .int()
  .min(1000)
  .max(3_600_000)
  .optional()
  .describe(
    `How long each forwarded message may wait for the worker, in ms (default ${DEFAULT_PASSTHROUGH_TIMEOUT_MS}).`,
  );

/** The passthrough tools: `set_passthrough`, `clear_passthrough`, `enable_docs_passthrough`. */
export function passthroughTools(
  orchestra: Orchestra,
  routes: PassthroughRoutes,
  activity: Activity,
): Record<string, ToolDefinition> {
  const route = (sessionID: string, workerId: string, timeoutMs: number | undefined) => {
    const worker = orchestra.worker(workerId);
    if (worker.status === "dead" || worker.status === "stopped")
      throw new RuntimeError("WORKER_UNAVAILABLE", `worker "${workerId}" is ${worker.status}`, {
        hints: [`start a new one with spawn_worker ${worker.profile}, then set_passthrough again`],
      });
    const previous = routes.set(sessionID, workerId, timeoutMs ?? DEFAULT_PASSTHROUGH_TIMEOUT_MS);
    activity.log("passthrough", `session ${sessionID} → ${workerId}`);
    return {
      sessionID,
      workerId,
      timeoutMs: timeoutMs ?? DEFAULT_PASSTHROUGH_TIMEOUT_MS,
      replaced: previous?.workerId ?? null,
    };
  };
  const onText = (r: ReturnType<typeof route>) =>
    `Passthrough is on: the user's next messages in this session go to worker ${r.workerId} first, and you get its answer to relay${r.replaced && r.replaced !== r.workerId ? ` (was ${r.replaced})` : ""}. Call clear_passthrough to end it.`;

  return {
    set_passthrough: tool({
      description:
        'Route the user\'s next messages in this conversation straight to one worker: each message goes to the worker first and you relay its answer. Use when the user wants to talk to a worker directly for a while (e.g. "let me talk to the coder"). End it with clear_passthrough.',
      args: {
        workerId: z.string().min(1).describe("Worker id from list_workers, e.g. docs or coder-2."),
        timeoutMs: timeoutArg,
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const r = route(ctx.sessionID, args.workerId, args.timeoutMs);
          return respond(args.format, r, () => onText(r));
        }),
    }),

    clear_passthrough: tool({
      description:
        "Stop routing the user's messages in this conversation to a worker, so you answer them yourself again. Use when the user asks to leave passthrough or to talk to you.",
      args: { format: formatArg },
      execute: (args, ctx) =>
        guarded(async () => {
          const previous = routes.clear(ctx.sessionID);
          if (previous)
            activity.log("passthrough", `session ${ctx.sessionID} cleared (was ${previous.workerId})`);
          const result = { sessionID: ctx.sessionID, cleared: previous?.workerId ?? null };
          return respond(args.format, result, () =>
            previous
              ? `Passthrough to ${previous.workerId} is off; messages in this session come to you again.`
              : "Passthrough was not on in this session; nothing to clear.",
          );
        }),
    }),

    enable_docs_passthrough: tool({
      description:
        "Start (or reuse) the docs worker and route the user's next messages in this conversation to it. Use when the user wants to research documentation, APIs or libraries with the docs researcher for a while. End it with clear_passthrough.",
      args: {
        model: z
          .string()
          .optional()
          .describe("Model override for a new docs worker: provider/model, an alias or auto:* tag."),
        timeoutMs: timeoutArg,
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const worker = await orchestra.spawn(DOCS_PROFILE, {
            ...(args.model === undefined ? {} : { model: args.model }),
            signal: ctx.abort,
            onProgress: (p) => ctx.metadata({ title: `spawn ${p.workerId}: ${p.stage}` }),
          });
          activity.log("spawn", `${worker.id} (${worker.kind}, ${worker.model}) ready for passthrough`);
          const r = route(ctx.sessionID, worker.id, args.timeoutMs);
          return respond(args.format, { ...r, worker }, () => onText(r));
        }),
    }),
  };
}
