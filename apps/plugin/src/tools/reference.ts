// The tool reference's metadata type: what a tool returns, one example call with its output, and the
// error codes it can raise. Each tools module keeps its tools' entries in a `<module>.reference.ts`
// beside it; `scripts/tool-reference.ts` renders them with the tool's description and zod arguments.

/** The six pages of the tool reference, in the order the site lists them. */
export const TOOL_CATEGORIES = [
  "workers",
  "profiles",
  "models",
  "memory",
  "workflows",
  "diagnostics",
] as const;

/** One page of the tool reference. */
export type ToolCategory = (typeof TOOL_CATEGORIES)[number];

/** One example call and what the tool answered. */
interface ToolExample {
  /** The arguments, as the model passes them. */
  args: Readonly<Record<string, unknown>>;
  /** The tool's answer; ids, times and paths are the example's. */
  output: string;
}

/** A tool's reference entry, beside its definition. */
export interface ToolReference {
  /** The reference page it is listed on. */
  category: ToolCategory;
  /** When to use the tool; only for a tool whose description has no `Use …` sentence. */
  whenToUse?: string;
  /** The shape of the answer with `format: "json"` (TypeScript notation) and what the text answer says. */
  returns: string;
  example: ToolExample;
  /** Every stable error code the tool can answer with (`[CODE] message`), each with when. */
  errors: Readonly<Record<string, string>>;
}

/** Reference entries of a tools module, by tool name. */
export type ToolReferences = Readonly<Record<string, ToolReference>>;
