import { tool } from "@opencode-ai/plugin";
import { OrchestraError } from "@orchestra/core";
import type { z as zod } from "zod";

const z = tool.schema;

/** The `format` argument every tool takes. */
export const formatArg: zod.ZodOptional<zod.ZodEnum<{ text: "text"; json: "json" }>> = z
  .enum(["text", "json"])
  .optional()
  .describe('Answer format: "text" (default, readable) or "json" (one JSON document).');

/** Readable text or JSON, by the caller's choice. */
export function respond(format: "text" | "json" | undefined, json: unknown, text: () => string): string {
  return format === "json" ? JSON.stringify(json, null, 2) : text();
}

/**
 * Run a tool body and turn Open Orchestra errors into a clean message (code, message, hints) —
 * never a stack trace. Other errors keep only their message.
 */
export async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (OrchestraError.isInstance(error)) throw new Error(`[${error.code}] ${error.describe()}`);
    throw new Error(error instanceof Error ? error.message : String(error));
  }
}

/** A simple aligned text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
