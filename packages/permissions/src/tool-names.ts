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
export const READ_TOOLS: ReadonlySet<string> = new Set(["read", "glob", "grep", "list", "lsp", "skill"]);
/** Tools that write files: covered by `filesystem: full`. */
export const WRITE_TOOLS: ReadonlySet<string> = new Set(["write", "edit", "multiedit", "apply_patch"]);
/** Tools that reach remote services only (never loopback): covered by `network: full`. */
export const REMOTE_TOOLS: ReadonlySet<string> = new Set(["websearch", "codesearch"]);
/** Session-internal tools with no file, shell or network effect. Allowed unless disabled. */
export const INTERNAL_TOOLS: ReadonlySet<string> = new Set(["todowrite", "todoread", "question", "invalid"]);

/**
 * The tools each permission category covers (canonical ids), the one definition `check`, the OpenCode
 * compiler and `@orchestra/profiles` share. A covered tool that a profile does not mention (or gives
 * an entry without `enabled`) falls under its category's level; any other tool (MCP, custom, `task`,
 * `batch`) is denied unless the profile enables it.
 */
export const CATEGORY_TOOLS: {
  readonly filesystem: ReadonlySet<string>;
  readonly execution: ReadonlySet<string>;
  readonly network: ReadonlySet<string>;
} = {
  filesystem: new Set([...READ_TOOLS, ...WRITE_TOOLS]),
  execution: new Set(["bash"]),
  network: new Set(["webfetch", ...REMOTE_TOOLS]),
};

const COVERED: ReadonlySet<string> = new Set(Object.values(CATEGORY_TOOLS).flatMap((tools) => [...tools]));

/** True when a permission category covers `tool` (any spelling {@link normalizeToolName} accepts). */
export function isCategoryTool(tool: string): boolean {
  return COVERED.has(normalizeToolName(tool));
}
