import { deny } from "./decision.js";

/**
 * The `apply_patch` format as OpenCode 1.18.33 parses it (`parsePatch` in `packages/opencode/src/patch`):
 * - the whole text is trimmed, then one `<<'EOF'` … `EOF` heredoc (optionally `cat <<EOF`) is unwrapped;
 * - lines are split on `\n` only (a `\r` stays on its line and is trimmed away with the path);
 * - the first line that trims to `*** Begin Patch` and the first that trims to `*** End Patch` bound it;
 * - between them, a line that starts (no leading whitespace) with `*** Add File:`, `*** Delete File:` or
 *   `*** Update File:` names a file: the rest of the line, trimmed (so `*** Add File:path` counts too);
 *   an empty path makes the line no header at all;
 * - an `*** Update File:` line directly followed by `*** Move to:` also writes the trimmed move target;
 * - after a header, every line up to the next line starting with `***` is file content.
 */
const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File:";
const DELETE = "*** Delete File:";
const UPDATE = "*** Update File:";
const MOVE = "*** Move to:";
const END_OF_FILE = "*** End of File";

/** OpenCode's heredoc unwrapping: `<<'EOF'\n…\nEOF` or `cat <<EOF\n…\nEOF`, the whole (trimmed) text. */
const HEREDOC = /^(?:cat\s+)?<<['"]?(\w+)['"]?\s*\n([\s\S]*?)\n\1\s*$/;

/**
 * A line that reads like a file operation in any spelling: leading whitespace, no space after `***`,
 * other case, full-width asterisks (after NFKC). Any such line that OpenCode 1.18.33 would not read as a
 * header is refused, so a parser that tolerates more (another version, the newer strict parser) can
 * never write a file this one did not see.
 */
const HEADER_LIKE = /^\s*\*\s*\*\s*\*\s*(?:add|update|delete|move|rename|copy|begin|end)\b/i;

/** One file operation of a patch. */
export interface PatchOperation {
  /** `add` creates, `update` rewrites (and moves, with `movePath`), `delete` removes. */
  readonly type: "add" | "update" | "delete";
  /** The path exactly as OpenCode reads it (trimmed), relative to the session directory or absolute. */
  readonly path: string;
  /** For `update`: the `*** Move to:` target, written too. */
  readonly movePath?: string;
}

function unparsable(what: string): never {
  return deny(
    "patch.unparsable",
    `The patch ${what}, so the files it touches cannot be known for certain.`,
    "a patch in OpenCode's format: `*** Begin Patch`, then `*** Add File: <path>`, `*** Update File: <path>` " +
      "(optionally followed by `*** Move to: <path>`) or `*** Delete File: <path>` headers at the start of " +
      "their lines, then `*** End Patch`",
  );
}

/** The header at `lines[i]`, as OpenCode reads it, or `undefined`. */
function header(lines: readonly string[], i: number): { op: PatchOperation; next: number } | undefined {
  const line = lines[i] as string;
  for (const [prefix, type] of [
    [ADD, "add"],
    [DELETE, "delete"],
  ] as const) {
    if (!line.startsWith(prefix)) continue;
    const path = line.slice(prefix.length).trim();
    return path === "" ? undefined : { op: { type, path }, next: i + 1 };
  }
  if (!line.startsWith(UPDATE)) return undefined;
  const path = line.slice(UPDATE.length).trim();
  if (path === "") return undefined;
  const following = lines[i + 1];
  if (following?.startsWith(MOVE)) {
    const movePath = following.slice(MOVE.length).trim();
    // OpenCode ignores an empty move target; refusing it is stricter and costs nothing.
    if (movePath === "") unparsable(`has an empty \`*** Move to:\` target (line ${i + 2})`);
    return { op: { type: "update", path, movePath }, next: i + 2 };
  }
  return { op: { type: "update", path }, next: i + 1 };
}

/**
 * Parse a patch exactly as OpenCode 1.18.33's `apply_patch` does, and refuse anything it cannot be sure
 * about: missing or repeated Begin/End markers, a header-like line OpenCode would not read as a header
 * (leading whitespace, other case, empty path, outside the markers), or no file at all.
 *
 * @throws a `patch.unparsable` denial (internal; {@link check} turns it into a deny decision).
 */
export function parsePatch(patchText: string): PatchOperation[] {
  const trimmed = patchText.trim();
  const lines = (HEREDOC.exec(trimmed)?.[2] ?? trimmed).split("\n");
  const begin = lines.findIndex((l) => l.trim() === BEGIN);
  const end = lines.findIndex((l) => l.trim() === END);
  if (begin === -1 || end === -1 || begin >= end)
    unparsable("has no `*** Begin Patch` … `*** End Patch` pair");
  if (lines.findLastIndex((l) => l.trim() === BEGIN) !== begin)
    unparsable("has more than one `*** Begin Patch`");
  if (lines.findLastIndex((l) => l.trim() === END) !== end) unparsable("has more than one `*** End Patch`");

  const ops: PatchOperation[] = [];
  const read = new Set<number>([begin, end]);
  let i = begin + 1;
  while (i < end) {
    const found = header(lines, i);
    if (found === undefined) {
      i++;
      continue;
    }
    ops.push(found.op);
    for (let k = i; k < found.next; k++) read.add(k);
    // The file's content (add lines, update chunks) runs to the next line that starts with `***`.
    i = found.next;
    while (i < lines.length && !(lines[i] as string).startsWith("***")) i++;
  }

  lines.forEach((line, n) => {
    if (read.has(n) || line.trim() === END_OF_FILE) return;
    if (HEADER_LIKE.test(line.normalize("NFKC"))) {
      unparsable(`has a line OpenCode would not read as a file header (line ${n + 1}: \`${line.trim()}\`)`);
    }
  });
  if (ops.length === 0) unparsable("names no file");
  return ops;
}

/**
 * Every file path a patch writes (adds, updates, deletes, move targets), as the checker must resolve it:
 * OpenCode resolves patch paths with `path.resolve(directory, path)` and never expands `~` or `$HOME`,
 * so such relative paths come back prefixed with `./`.
 *
 * @throws a `patch.unparsable` denial when {@link parsePatch} refuses the text.
 */
export function patchPaths(patchText: string): string[] {
  const literal = (p: string) => (p.startsWith("~") || p.startsWith("$") ? `./${p}` : p);
  return parsePatch(patchText).flatMap((op) =>
    op.movePath === undefined ? [literal(op.path)] : [literal(op.path), literal(op.movePath)],
  );
}
