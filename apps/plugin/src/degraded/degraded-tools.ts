import type { ToolDefinition } from "@opencode-ai/plugin";
import type { ConfigError } from "@orchestra/config";
import { respond } from "../tools/format.js";
import { allTools, type ToolDeps } from "../tools/index.js";
import { errorCount, NEXT_STEPS, problemFiles, problemLines } from "./config-problems.js";

/** The tools that report the config errors (every other tool answers `CONFIG_INVALID`). */
const REPORTING_TOOLS: ReadonlySet<string> = new Set(["orchestrator_status", "orchestrator_config"]);

/** The first line of every degraded-mode answer. */
export function degradedHeadline(problems: ConfigError): string {
  return `Open Orchestra runs in degraded mode: the orchestrator config is invalid (${errorCount(problems)}), so none of it is applied (no workers, warm pools, agent or commands).`;
}

/**
 * Dependencies that are never built: the tools' factories only capture them, and degraded mode
 * replaces every `execute`, so touching one is a bug and says so.
 */
function unbuiltDeps(): ToolDeps {
  const unbuilt = (name: string) =>
    new Proxy(
      {},
      {
        get: (_target, key) => {
          throw new Error(
            `degraded mode: ${name}.${String(key)} was used, but nothing is built from an invalid config`,
          );
        },
      },
    );
  // No activity log: given one, the model tools check the config's models as they are built.
  return new Proxy({} as ToolDeps, {
    get: (_target, key) => (key === "activity" ? undefined : unbuilt(String(key))),
  });
}

/** `orchestrator_status` / `orchestrator_config`: the errors, as text or JSON. */
function report(problems: ConfigError, format: unknown): string {
  const json = {
    degraded: true,
    code: problems.code,
    files: problemFiles(problems),
    errors: problems.issues,
    next: NEXT_STEPS,
  };
  return respond(format === "json" ? "json" : "text", json, () =>
    [
      degradedHeadline(problems),
      `Config errors [${problems.code}]:`,
      ...problemLines(problems).map((line) => `  ${line}`),
      ...NEXT_STEPS.map((step) => `next: ${step}`),
    ].join("\n"),
  );
}

/** The error every other tool throws: the code, what did not happen, every error, what to do. */
function refusal(problems: ConfigError, tool: string): Error {
  return new Error(
    [
      `[${problems.code}] ${tool} did nothing. ${degradedHeadline(problems)}`,
      ...problemLines(problems).map((line) => `  ${line}`),
      ...NEXT_STEPS.map((step) => `  hint: ${step}`),
    ].join("\n"),
  );
}

/**
 * Every orchestra tool, under the same name, description and arguments as with a valid config (so
 * the model sees them all), answering from `problems` alone: `orchestrator_status` and
 * `orchestrator_config` report every error with its file and JSON path; every other tool fails with
 * `[CONFIG_INVALID]`, the same errors and what to do next. Nothing runs.
 */
export function degradedTools(problems: ConfigError): Record<string, ToolDefinition> {
  return Object.fromEntries(
    Object.entries(allTools(unbuiltDeps())).map(([name, definition]): [string, ToolDefinition] => [
      name,
      {
        description: definition.description,
        args: definition.args,
        execute: async (args: Record<string, unknown>) => {
          if (REPORTING_TOOLS.has(name)) return report(problems, args.format);
          throw refusal(problems, name);
        },
      },
    ]),
  );
}
