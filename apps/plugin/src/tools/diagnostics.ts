import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { LoadedConfig } from "@orchestra/config";
import type { Orchestra } from "@orchestra/runtime";
import { formatUsageTable } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import type { HostServerStatus } from "../host-server.js";
import { formatArg, guarded, respond, table } from "./format.js";
import { formatModelConfigIssue, modelConfigIssues } from "./models.js";
import { orchestraUsage } from "./usage.js";
import { workersTable } from "./workers.js";

const z = tool.schema;

/** The `orchestrator_status` line about the host server's password. */
function hostServerLine(host: HostServerStatus): string {
  if (host.auth === "password") return `Host server: password required (${host.detail})`;
  const what = host.auth === "none" ? "NO PASSWORD" : "password unknown";
  return `Host server: ${what}: ${host.detail}.\n  fix: ${host.fix ?? ""}`;
}

/** The diagnostics tools: status, config, health check, output, results. */
export function diagnosticTools(
  orchestra: Orchestra,
  activity: Activity,
  loaded: LoadedConfig,
  hostServer: Promise<HostServerStatus>,
): Record<string, ToolDefinition> {
  return {
    orchestrator_status: tool({
      description:
        "Summarise the orchestrator: workers by status, running jobs, what the workers spent (tokens and cost per worker, with a total: the usage tool's figures), profiles available, and whether the host OpenCode server has a password. Use for a quick overview before planning work.",
      args: { format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const workers = orchestra.workers();
          const jobs = orchestra.jobs().filter((j) => j.status === "running");
          const status = {
            workers,
            runningJobs: jobs.length,
            profiles: orchestra.profiles.enabledIds(),
            configFiles: loaded.layers.map((l) => l.file),
            modelConfigIssues: await modelConfigIssues(orchestra),
            hostServer: await hostServer,
            usage: orchestraUsage(orchestra),
          };
          return respond(args.format, status, () =>
            [
              `Workers: ${workers.length} (${workers.filter((w) => w.status === "ready").length} ready, ${workers.filter((w) => w.status === "busy").length} busy)`,
              workersTable(workers),
              hostServerLine(status.hostServer),
              `Running jobs: ${jobs.length}`,
              `Usage:\n${formatUsageTable(status.usage, "worker")}`,
              `Profiles: ${status.profiles.join(", ")}`,
              `Config files: ${status.configFiles.length ? status.configFiles.join(", ") : "none (defaults)"}`,
              `Model config: ${status.modelConfigIssues.length ? `${status.modelConfigIssues.length} issue(s)` : "ok"}`,
              ...status.modelConfigIssues.map((i) => `  ${formatModelConfigIssue(i)}`),
            ].join("\n"),
          );
        }),
    }),

    orchestrator_config: tool({
      description:
        "Show the effective orchestrator config and which file set each value. Use when behaviour seems to differ from what the user configured.",
      args: {
        key: z.string().optional().describe("Only paths starting with this, e.g. healthCheck."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const entries = Object.entries(loaded.sources).filter(
            ([p]) => args.key === undefined || p.startsWith(args.key),
          );
          return respond(args.format, { config: loaded.config, sources: Object.fromEntries(entries) }, () =>
            entries.length === 0
              ? `No config key starts with "${args.key}". Top-level keys: ${Object.keys(loaded.config).join(", ")}`
              : entries
                  .map(([path, source]) => {
                    const value = path
                      .split(/\.|(?=\[)/)
                      .reduce<unknown>(
                        (v, k) =>
                          k.startsWith("[")
                            ? (v as unknown[])[Number(k.slice(1, -1))]
                            : (v as Record<string, unknown>)?.[k],
                        loaded.config,
                      );
                    return `${path} = ${JSON.stringify(value)}  (${source})`;
                  })
                  .join("\n"),
          );
        }),
    }),

    health_check: tool({
      description:
        "Probe every worker now (process alive, server answering) and report. Use when a worker seems stuck or before a long task.",
      args: { format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const results = await orchestra.checkHealth();
          return respond(args.format, results, () =>
            results.length === 0
              ? "No workers to check."
              : table(
                  ["id", "status", "healthy", "detail"],
                  results.map((r) => [r.id, r.status, r.healthy ? "yes" : "NO", r.detail]),
                ),
          );
        }),
    }),

    orchestrator_output: tool({
      description:
        "Show recent orchestrator activity (spawns, asks, stops, deaths, denials). Use to see what happened in the background.",
      args: {
        limit: z.number().int().min(1).max(200).optional().describe("Most recent entries (default 20)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const entries = activity.recent(args.limit ?? 20);
          return respond(args.format, entries, () =>
            entries.length === 0
              ? "No activity yet."
              : entries
                  .map((e) => `${new Date(e.at).toISOString()} ${e.kind.padEnd(8)} ${e.message}`)
                  .join("\n"),
          );
        }),
    }),

    orchestrator_results: tool({
      description:
        "Show the latest worker answers (newest first). Use to recover an answer you did not keep.",
      args: {
        workerId: z.string().optional().describe("Only answers of this worker."),
        limit: z.number().int().min(1).max(50).optional().describe("How many (default 5)."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const results = activity.results(args.limit ?? 5, args.workerId);
          return respond(args.format, results, () =>
            results.length === 0
              ? "No answers yet."
              : results
                  .map(
                    (r) =>
                      `## ${r.workerId} (${Math.round(r.durationMs)} ms)\n> ${r.prompt.slice(0, 200)}\n${r.text}`,
                  )
                  .join("\n\n"),
          );
        }),
    }),
  };
}
