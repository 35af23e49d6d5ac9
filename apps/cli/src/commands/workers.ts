import type { Command } from "commander";
import { millisecondsBetween } from "../arg-parsers.js";
import type { AskOptions, ListOptions, SpawnOptions, StopOptions } from "./workers-action.js";
import { ensureWorkersCommand } from "./workers-cleanup.js";
import { NEW_REGISTRY_OPTION, REGISTRY_OPTION } from "./workers-options.js";

/** `orchestra workers spawn|list|ask|stop` (`cleanup` is registered by workers-cleanup.ts). */
export function registerWorkersCommand(program: Command): void {
  const workers = ensureWorkersCommand(program);

  workers
    .command("spawn <profile>")
    .description(
      "Start a process worker that outlives this command (stop it with `orchestra workers stop`). Interrupted (SIGINT/SIGTERM) before it is ready, it stops the worker and removes its registry entry.",
    )
    .option(
      "--model <ref>",
      "model override: provider/model (used as given; with no catalog cached yet, OpenCode checks it at the first ask), an alias or an auto:* tag",
    )
    .option("--json", "print one JSON object: { id, kind, pid, url, model }")
    .option(...NEW_REGISTRY_OPTION)
    .action(async (profileId: string, options: SpawnOptions) => {
      const { runSpawn } = await import("./workers-action.js");
      await runSpawn(profileId, options);
    });

  workers
    .command("list")
    .description(
      "List the workers in the device registry (this user's, from every orchestrator and the CLI), with each one's status and its health now: every live process worker's server is probed (GET /global/health), so a hung worker shows `suspect` however long it has been `ready`.",
    )
    .option(
      "--json",
      "print a JSON array of workers, each with id, status, health (healthy, suspect, misconfigured, dead or unknown) and healthReason",
    )
    .option(...REGISTRY_OPTION)
    .option(
      "--probe-timeout <ms>",
      "how long each worker's server may take to answer, in ms",
      millisecondsBetween(1, 60_000),
      3_000,
    )
    .action(async (options: ListOptions) => {
      const { runList } = await import("./workers-action.js");
      await runList(options);
    });

  workers
    .command("ask <id> <message>")
    .description("Send a message to a process worker and print its answer.")
    .option(
      "--timeout <ms>",
      "give up after this many milliseconds",
      millisecondsBetween(1, 24 * 3_600_000),
      600_000,
    )
    .option(...REGISTRY_OPTION)
    .option("--stream", "print the worker's text as it arrives, and tool starts and ends on stderr")
    .option(
      "--json",
      "print the answer as one JSON object: { workerId, jobId, text, durationMs, model, notes? } (jobId: its job in `orchestra jobs`, for `orchestra workers cancel|steer <jobId>`; notes: budget warnings and notes, when any); a failure (a cancel: code JOB_CANCELLED; a budget: BUDGET_EXCEEDED) as { ok: false, code, message, hints }; not with --stream",
    )
    .action(async (id: string, message: string, options: AskOptions) => {
      const { runAsk } = await import("./workers-action.js");
      await runAsk(id, message, options);
    });

  workers
    .command("stop [id]")
    .description(
      "Stop a worker (or every worker with --all): dispose its instance, then SIGTERM/SIGKILL its process group.",
    )
    .option("--all", "stop every process worker in the registry")
    .option(
      "--json",
      "print one JSON object { id, outcome } (an array with --all); a worker with isolation: worktree adds { branch, changed, files, diffstat, worktree }",
    )
    .option("--grace <ms>", "SIGTERM → SIGKILL grace, in ms", millisecondsBetween(0, 60_000), 5_000)
    .option(...REGISTRY_OPTION)
    .action(async (id: string | undefined, options: StopOptions) => {
      const { runStop } = await import("./workers-action.js");
      await runStop(id, options);
    });
}
