import type { ToolDefinition } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";

/** The tools' `format` value for `ui.defaultListFormat` (`markdown` is the readable text answer). */
export function toolFormat(listFormat: OrchestratorConfig["ui"]["defaultListFormat"]): "text" | "json" {
  return listFormat === "json" ? "json" : "text";
}

/**
 * `ui.defaultListFormat`: every tool that takes a `format` argument gets this one when the call
 * gives none. Other tools are returned as they are.
 */
export function withDefaultFormat(
  tools: Record<string, ToolDefinition>,
  listFormat: OrchestratorConfig["ui"]["defaultListFormat"],
): Record<string, ToolDefinition> {
  const format = toolFormat(listFormat);
  return Object.fromEntries(
    Object.entries(tools).map(([name, def]) => [
      name,
      "format" in def.args
        ? {
            ...def,
            execute: (args, context) =>
              def.execute({ ...args, format: (args as { format?: unknown }).format ?? format }, context),
          }
        : def,
    ]),
  );
}
