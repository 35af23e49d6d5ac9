import type { ToolReferences } from "./reference.js";

/** Reference entries of the diagnostic tools (diagnostics.ts). */
export const DIAGNOSTIC_TOOL_REFERENCE: ToolReferences = {
  orchestrator_status: {
    category: "diagnostics",
    returns:
      '{ workers: WorkerInfo[]; runningJobs: number; profiles: string[]; configFiles: string[]; modelConfigIssues: object[]; hostServer: { url: string; auth: "password" | "none" | "unknown"; detail: string; fix?: string }; usage: UsageReport }. Text: workers, running jobs, the usage table, profiles, config files and model config issues.',
    example: {
      args: {},
      output: [
        "Workers: 0 (0 ready, 0 busy)",
        "No workers are running. Start one with spawn_worker <profile> (list_profiles shows them).",
        "Host server: password required (it answers 401 to a request without credentials)",
        "Running jobs: 0",
        "Usage:",
        "WORKER  JOBS  INPUT  OUTPUT  REASONING  CACHE READ  CACHE WRITE     COST",
        "TOTAL      0      0       0          0           0            0  $0.0000",
        "(no finished jobs in this period)",
        "Profiles: vision, docs, coder, architect, explorer, memory",
        "Config files: none (defaults)",
        "Model config: ok",
      ].join("\n"),
    },
    errors: { JOB_JOURNAL_UNAVAILABLE: "the job journal (the usage figures) cannot be opened" },
  },
  orchestrator_config: {
    category: "diagnostics",
    returns:
      "{ config: OrchestratorConfig; sources: Record<string, string> }. Text: one `path = value  (source file or default)` line per key under `key`.",
    example: {
      args: { key: "healthCheck.enabled" },
      output: "healthCheck.enabled = true  (default)",
    },
    errors: {},
  },
  health_check: {
    category: "diagnostics",
    returns:
      "{ id: string; status: string; healthy: boolean; detail: string }[]. Text: a table of id, status, healthy and detail.",
    example: { args: {}, output: "No workers to check." },
    errors: {},
  },
  orchestrator_output: {
    category: "diagnostics",
    returns:
      '{ at: number; kind: "spawn" | "ask" | "job" | "stop" | "death" | "denied" | "memory" | "workflow" | "passthrough" | "info" | …; message: string }[]. Text: one `time kind message` line per entry, oldest first.',
    example: { args: { limit: 5 }, output: "No activity yet." },
    errors: {},
  },
  orchestrator_results: {
    category: "diagnostics",
    returns:
      "{ workerId: string; prompt: string; text: string; durationMs: number; at: number }[] (newest first). Text: per answer a `## worker (ms)` heading, the prompt quoted, and the answer.",
    example: { args: { workerId: "coder" }, output: "No answers yet." },
    errors: {},
  },
};
