import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import {
  formatUsageTable,
  type Orchestra,
  parseDuration,
  USAGE_GROUPINGS,
  type UsageGrouping,
  type UsageReport,
  usageReport,
} from "@orchestra/runtime";
import { formatArg, guarded, respond } from "./format.js";

const z = tool.schema;

/** The usage ledger over the user's job journal (every process's ended jobs). */
export function orchestraUsage(
  orchestra: Pick<Orchestra, "journal">,
  options: { by?: UsageGrouping; since?: number } = {},
): UsageReport {
  return usageReport(orchestra.journal().list({ all: true }), options);
}

/** The `usage` tool: what the orchestra spent, as `orchestra usage` shows it. */
export function usageTools(orchestra: Pick<Orchestra, "journal">): Record<string, ToolDefinition> {
  return {
    usage: tool({
      description:
        "Show what the workers spent: tokens (input, output, reasoning, cache read, cache write) and cost of every ended job, one row per worker, profile, model or orchestrator session, with a total. A cost is null (unknown) when a model's prices are unknown, never 0; knownCost is the known part. Use before more work when budgets matter.",
      args: {
        by: z
          .enum(USAGE_GROUPINGS as [UsageGrouping, ...UsageGrouping[]])
          .optional()
          .describe("Rows per worker (default), profile, model or session."),
        since: z.string().optional().describe("Only jobs started in the last DURATION, e.g. 30m, 2h, 7d."),
        format: formatArg,
      },
      execute: (args) =>
        guarded(async () => {
          const since = args.since === undefined ? undefined : parseDuration(args.since);
          if (args.since !== undefined && since === undefined)
            throw new Error(
              `since takes a duration such as 30m, 2h or 7d (got "${args.since}"): a whole number followed by s, m, h, d or w`,
            );
          const by = args.by ?? "worker";
          const report = orchestraUsage(orchestra, {
            by,
            ...(since === undefined ? {} : { since: Date.now() - since }),
          });
          return respond(args.format, report, () => formatUsageTable(report, by));
        }),
    }),
  };
}
