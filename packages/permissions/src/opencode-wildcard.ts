import { posix } from "node:path";
import picomatch from "picomatch";

/** More alternatives than this from one glob's braces, or `**` segments, and the glob is widened instead. */
const MAX_ALTERNATIVES = 32;

/**
 * Expand `{a,b}` alternatives (nested too) into separate globs. Ranges (`{1..3}`) and anything past
 * {@link MAX_ALTERNATIVES} become `*`, which matches a superset.
 */
export function expandBraces(glob: string): string[] {
  const open = findOpenBrace(glob);
  if (open < 0) return [glob];
  const close = matchingBrace(glob, open);
  if (close < 0) return [glob];
  const body = glob.slice(open + 1, close);
  const parts = splitTopLevel(body);
  const head = glob.slice(0, open);
  const tail = glob.slice(close + 1);
  const alternatives = parts.length < 2 ? ["*"] : parts;
  const out: string[] = [];
  for (const alt of alternatives) {
    for (const expanded of expandBraces(head + alt + tail)) {
      out.push(expanded);
      if (out.length > MAX_ALTERNATIVES) return expandBraces(`${head}*${tail}`);
    }
  }
  return out;
}

function findOpenBrace(glob: string): number {
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "{") return i;
  }
  return -1;
}

function matchingBrace(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "{") depth++;
    else if (glob[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\") i++;
    else if (body[i] === "{") depth++;
    else if (body[i] === "}") depth--;
    else if (body[i] === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

/** One path segment of a picomatch glob as an OpenCode wildcard (a superset where OpenCode has no syntax). */
function segment(glob: string): string {
  return (
    glob
      // extglobs `@(a|b)`, `!(x)`, `+(x)`, `*(x)`, `?(x)`: no OpenCode syntax, so any text
      .replace(/[@!+*?]\([^)]*\)/g, "*")
      // character classes: OpenCode's `?` is any one character
      .replace(/\[[^\]]*\]/g, "?")
      // escapes: OpenCode turns `\` into `/`, so drop them and keep the escaped character
      .replace(/\\(.)/g, "$1")
      // `**` inside a segment (`a**b`) is any text, like `*`
      .replace(/\*{2,}/g, "*")
  );
}

/**
 * The OpenCode wildcard patterns that together match at least every path `tail` (a picomatch glob with
 * `/` separators) matches: `*` crosses `/` in OpenCode, and a `**` segment, which may also match no
 * segment at all, becomes two variants, one without it and one with `*`.
 */
export function tailWildcards(tail: string): string[] {
  if (tail === "") return [""];
  const segments = tail.split("/");
  const globstars = segments.filter((s) => s === "**").length;
  if (globstars > 4) return ["*"];
  let variants: string[][] = [[]];
  for (const s of segments) {
    if (s === "**") variants = variants.flatMap((v) => [v, [...v, "*"]]);
    else variants = variants.map((v) => [...v, segment(s)]);
  }
  return [...new Set(variants.map((v) => v.join("/")))];
}

/**
 * The OpenCode patterns, relative to `worktree` exactly as OpenCode computes a file tool's pattern
 * (`path.relative(worktree, file)`), that match at least every absolute path `absoluteGlob` matches.
 * A pattern for the worktree itself is the empty string.
 */
export function worktreeWildcards(absoluteGlob: string, worktree: string): string[] {
  const out = new Set<string>();
  for (const glob of expandBraces(absoluteGlob)) {
    const scan = picomatch.scan(glob);
    const base = posix.resolve("/", scan.base === "" ? "/" : scan.base);
    const rel = posix.relative(worktree, base);
    for (const t of tailWildcards(scan.glob)) out.add(rel === "" ? t : t === "" ? rel : `${rel}/${t}`);
  }
  return [...out];
}

/**
 * The absolute directories whose `<dir>/*` OpenCode's `external_directory` pattern names for paths
 * `absoluteGlob` matches: the glob's static base, and for a glob without wildcards (a file or a
 * directory) also its parent.
 */
export function externalDirectories(absoluteGlob: string): string[] {
  const out = new Set<string>();
  for (const glob of expandBraces(absoluteGlob)) {
    const scan = picomatch.scan(glob);
    const base = posix.resolve("/", scan.base === "" ? "/" : scan.base);
    out.add(base);
    if (scan.glob === "") out.add(posix.dirname(base));
  }
  return [...out];
}
