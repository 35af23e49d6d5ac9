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
