/** Aliases: OpenCode renamed some tools between versions; both ids are one tool. */
const ALIASES: Readonly<Record<string, string>> = {
  shell: "bash",
  patch: "apply_patch",
  subagent: "task",
};

/**
 * The canonical id of a tool: lower-cased, with `shell`→`bash`, `patch`→`apply_patch`
 * and `subagent`→`task`.
 */
export function normalizeToolName(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
}

/** Tools that read files: covered by `filesystem` ≥ `read`. */
export const READ_TOOLS = new Set(["read", "glob", "grep", "list", "lsp", "skill"]);
/** Tools that write files: covered by `filesystem: full`. */
export const WRITE_TOOLS = new Set(["write", "edit", "multiedit", "apply_patch"]);
/** Tools that reach remote services only (never loopback): covered by `network: full`. */
export const REMOTE_TOOLS = new Set(["websearch", "codesearch"]);
/** Session-internal tools with no file, shell or network effect. Allowed unless disabled. */
export const INTERNAL_TOOLS = new Set(["todowrite", "todoread", "question", "invalid"]);
