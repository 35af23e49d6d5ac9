import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { Orchestra, WorkerInfo } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import { withFallbackNotes } from "../model-fallback.js";
import { formatArg, guarded, respond, table } from "./format.js";
import { liveProgress, type PartClient } from "./live-progress.js";
import { stopText, withWorktreeNote, worktreeSoFar } from "./merge-worker.js";

const z = tool.schema;

function workerLine(w: WorkerInfo): string[] {
  return [
    w.id,
    w.kind,
    w.status,
    w.model || "-",
    w.pid === undefined ? "-" : String(w.pid),
    w.port === undefined ? "-" : String(w.port),
  ];
}

/** `list_workers` text. */
export function workersTable(workers: readonly WorkerInfo[]): string {
  if (workers.length === 0)
    return "No workers are running. Start one with spawn_worker <profile> (list_profiles shows them).";
  return table(["id", "kind", "status", "model", "pid", "port"], workers.map(workerLine));
}

/**
 * The worker tools: spawn, ask (sync and async jobs), delegate, stop, list, suggest. ask_worker and
 * delegate_task show the worker's progress on their running tool part through `host`.
 */
export function workerTools(
  orchestra: Orchestra,
  activity: Activity,
  host: PartClient,
): Record<string, ToolDefinition> {
  return {
    spawn_worker: tool({
      description:
        "Start a specialised worker (e.g. vision, docs, coder, architect, explorer, memory) before asking it anything. Use when a task needs a worker that list_workers does not show. Reuses a ready worker of the profile unless new=true.",
      args: {
        profile: z.string().describe("Profile id; list_profiles shows them."),
        model: z.string().optional().describe("Model override: provider/model, an alias or an auto:* tag."),
        new: z.boolean().optional().describe("Start another worker even if one of this profile is ready."),
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const info = await orchestra.spawn(args.profile, {
            ...(args.model === undefined ? {} : { model: args.model }),
            reuse: args.new !== true,
            signal: ctx.abort,
            onProgress: (p) => ctx.metadata({ title: `spawn ${p.workerId}: ${p.stage}`, metadata: { ...p } }),
          });
          activity.log("spawn", `${info.id} (${info.kind}, ${info.model}) ready`);
          return respond(
            args.format,
            info,
            () =>
              `Worker ${info.id} is ${info.status}: ${info.kind} worker, model ${info.model}${info.pid ? `, pid ${info.pid}` : ""}${info.port ? `, port ${info.port}` : ""}. Ask it with ask_worker id=${info.id}.`,
          );
        }),
    }),

    ask_worker: tool({
      description:
        "Send a message to a running worker and wait for its answer. Use for a focused sub-task that one worker should do; use ask_worker_async instead when the answer can wait.",
      args: {
        id: z.string().describe("Worker id from list_workers, e.g. docs or coder-2."),
        message: z.string().min(1).describe("What the worker should do, with all the context it needs."),
        timeoutMs: z
          .number()
          .int()
          .min(1000)
          .max(3_600_000)
          .optional()
          .describe("Give up after this many milliseconds."),
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          // The running tool part shows the worker's current tool, elapsed time and last line.
          const answer = await liveProgress(host, ctx, { tool: "ask_worker", workerId: args.id }, (live) =>
            orchestra.ask(args.id, args.message, {
              signal: ctx.abort,
              callerSession: ctx.sessionID,
              onProgress: live.onProgress,
              onStream: live.onStream,
              ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
            }),
          );
          activity.log("ask", `${args.id} answered in ${Math.round(answer.durationMs)} ms`);
          activity.result({
            workerId: args.id,
            prompt: args.message,
            text: answer.text,
            durationMs: answer.durationMs,
          });
          // A worktree worker's job end: its branch, the files it changed so far and a diffstat.
          const worktree = await worktreeSoFar(ctx.directory, args.id);
          return respond(args.format, worktree ? { ...answer, worktree } : answer, () =>
            withWorktreeNote(
              withFallbackNotes(
                answer.text || `(worker ${args.id} answered with no text)`,
                answer.fallbacks,
                answer.notes,
              ),
              worktree,
            ),
          );
        }),
    }),

    ask_worker_async: tool({
      description:
        "Send a message to a worker without waiting: returns a job id at once. Use to run several workers in parallel; collect answers with await_worker_job.",
      args: {
        id: z.string().describe("Worker id from list_workers."),
        message: z.string().min(1).describe("What the worker should do."),
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const job = orchestra.askAsync(args.id, args.message, { callerSession: ctx.sessionID });
          activity.log("job", `${job.id} started on ${args.id}`);
          return respond(
            args.format,
            job,
            () =>
              `Started job ${job.id} on worker ${args.id}. Wait for it with await_worker_job jobId=${job.id}.`,
          );
        }),
    }),

    await_worker_job: tool({
      description:
        "Wait for an async job (from ask_worker_async) to finish and return its answer. Use after starting jobs you now need.",
      args: {
        jobId: z.string().describe("Job id from ask_worker_async."),
        timeoutMs: z
          .number()
          .int()
          .min(0)
          .max(3_600_000)
          .optional()
          .describe("Wait at most this long (default 10 minutes)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const job = await orchestra.awaitJob(args.jobId, args.timeoutMs ?? 600_000);
          if (job.result)
            activity.result({
              workerId: job.worker,
              prompt: job.message,
              text: job.result.text,
              durationMs: job.result.durationMs,
            });
          return respond(args.format, job, () =>
            job.status === "done"
              ? withFallbackNotes(
                  job.result?.text || job.text || "(empty answer)",
                  job.result?.fallbacks,
                  job.result?.notes,
                )
              : job.status === "running" || job.status === "queued"
                ? `Job ${job.id} is still ${job.status}${job.tool ? ` (running ${job.tool})` : ""}; call await_worker_job again or check get_worker_job.`
                : `Job ${job.id} ${job.status}: ${job.error ?? "no detail"}`,
          );
        }),
    }),

    get_worker_job: tool({
      description: "Show the state of one async job without waiting. Use to poll a long job.",
      args: { jobId: z.string().describe("Job id from ask_worker_async."), format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const job = orchestra.job(args.jobId);
          return respond(
            args.format,
            job,
            () =>
              `Job ${job.id} on ${job.worker}: ${job.status}${job.tool ? ` (running ${job.tool})` : ""}${job.result ? `\n${job.result.text}` : job.text !== null ? `\n${job.text}` : job.error ? ` (${job.errorCode}: ${job.error})` : ""}`,
          );
        }),
    }),

    list_worker_jobs: tool({
      description:
        "List jobs (every ask of a worker, from this and every other orchestrator and orchestra command of the user): the running ones, then the last 20 ended. Use to find a job id or see what is still running.",
      args: { workerId: z.string().optional().describe("Only jobs of this worker."), format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const jobs = orchestra.jobs(args.workerId);
          return respond(args.format, jobs, () =>
            jobs.length === 0
              ? "No jobs yet. Start one with ask_worker_async."
              : table(
                  ["job", "worker", "status", "tool", "started"],
                  jobs.map((j) => [
                    j.id,
                    j.worker,
                    j.status,
                    j.tool ?? "-",
                    new Date(j.startedAt).toISOString(),
                  ]),
                ),
          );
        }),
    }),

    delegate_task: tool({
      description:
        "Hand a task to the best worker for it: picks the profile by the task's words (or the one you name), reuses a ready worker or spawns one, and returns its answer. Use when you do not want to choose a worker yourself.",
      args: {
        task: z.string().min(1).describe("The task, in full."),
        profile: z.string().optional().describe("Force this profile instead of choosing one."),
        format: formatArg,
      },
      execute: (args, ctx) =>
        guarded(async () => {
          const result = await liveProgress(host, ctx, { tool: "delegate_task" }, (live) =>
            orchestra.delegate(args.task, {
              ...(args.profile === undefined ? {} : { profile: args.profile }),
              onProgress: live.onSpawnProgress,
              onStream: live.onStream,
            }),
          );
          activity.log("ask", `delegated to ${result.worker.id}${result.spawned ? " (spawned)" : ""}`);
          activity.result({
            workerId: result.worker.id,
            prompt: args.task,
            text: result.answer.text,
            durationMs: result.answer.durationMs,
          });
          return respond(args.format, result, () => {
            const why = result.match
              ? ` (chosen with confidence ${result.match.confidence.toFixed(2)}: ${result.match.reasons.join(", ")})`
              : "";
            return withFallbackNotes(
              `Worker ${result.worker.id}${why} answered:\n${result.answer.text}`,
              result.answer.fallbacks,
              result.answer.notes,
            );
          });
        }),
    }),

    stop_worker: tool({
      description: "Stop a worker and free its resources. Use when its work is done or it misbehaves.",
      args: { id: z.string().describe("Worker id from list_workers."), format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const info = await orchestra.stop(args.id);
          activity.log("stop", `${info.id} stopped`);
          return respond(args.format, info, () => stopText(info));
        }),
    }),

    list_workers: tool({
      description:
        "List the workers this orchestrator runs, with status, model, pid and port. Use before asking, to pick a worker id.",
      args: { format: formatArg },
      execute: (args) =>
        guarded(async () =>
          respond(args.format, orchestra.workers(), () => workersTable(orchestra.workers())),
        ),
    }),

    suggest_worker: tool({
      description:
        "Rank the worker profiles that fit a task description, with a confidence and the matched words. Use when unsure which worker to spawn.",
      args: {
        purpose: z.string().min(1).describe("The task, in a sentence."),
        limit: z.number().int().min(1).max(10).optional().describe("How many suggestions (default 3)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const matches = orchestra.suggest(args.purpose, args.limit ?? 3).map((m) => ({
            profile: m.profile.id,
            confidence: Number(m.confidence.toFixed(3)),
            reasons: m.reasons,
          }));
          return respond(args.format, matches, () =>
            matches.length === 0
              ? "No profile matches; list_profiles shows them all."
              : matches
                  .map((m) => `${m.profile}  ${m.confidence.toFixed(2)}  ${m.reasons.join(", ")}`)
                  .join("\n"),
          );
        }),
    }),
  };
}
