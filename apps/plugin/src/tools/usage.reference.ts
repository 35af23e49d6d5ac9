import type { ToolReferences } from "./reference.js";

/** Reference entry of the `usage` tool (usage.ts). */
export const USAGE_TOOL_REFERENCE: ToolReferences = {
  usage: {
    category: "diagnostics",
    returns:
      '{ by: "worker" | "profile" | "model" | "session"; since?: number; rows: { key: string; jobs: number; tokens: { input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number }; cost: number | null; knownCost: number }[]; total: { jobs: number; tokens: object; cost: number | null; knownCost: number } }. Text: a table with a TOTAL row.',
    example: {
      args: { by: "profile", since: "2h" },
      output: [
        "PROFILE  JOBS  INPUT  OUTPUT  REASONING  CACHE READ  CACHE WRITE     COST",
        "TOTAL       0      0       0          0           0            0  $0.0000",
        "(no finished jobs in this period)",
      ].join("\n"),
    },
    errors: { JOB_JOURNAL_UNAVAILABLE: "the job journal cannot be opened" },
  },
};
