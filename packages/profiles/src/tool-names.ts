const ALIASES: Readonly<Record<string, string>> = { shell: "bash", patch: "apply_patch" };

/**
 * The canonical id of an OpenCode tool name: lower-case, with `shell` → `bash` and
 * `patch` → `apply_patch` (DECISIONS: tool names match without regard to case; the pairs are one tool).
 */
export function canonicalToolId(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
}

/**
 * Tools a permission category covers. A tool in this set that a profile does not mention falls
 * under its category; any other tool (MCP, custom, `task`, `batch`) is denied unless enabled.
 */
export const CATEGORY_TOOLS: ReadonlySet<string> = new Set([
  "read",
  "glob",
  "grep",
  "list",
  "write",
  "edit",
  "apply_patch",
  "bash",
  "webfetch",
  "websearch",
  "codesearch",
]);
