import { type Dirent, readdirSync, statSync } from "node:fs";
import { posix } from "node:path";
import { deny } from "./decision.js";
import type { PathPolicy } from "./paths.js";

/** Most files and directories one call's recursive reads may cover before it is denied unchecked. */
export const MAX_SCOPE_ENTRIES = 25_000;

/** How a recursive reader walks a directory. */
export interface ScopeOptions {
  /** The reader follows symbolic links below the root (`grep -R`, `rg -L`, `zip`, `find -L`...). */
  readonly follow: boolean;
  /** The reader never reads `.git` directories (OpenCode's grep tool, `git grep`). */
  readonly skipGit: boolean;
  /** Only files whose base name passes are read (a sound narrowing such as the grep tool's `include`). */
  readonly include?: (name: string) => boolean;
}

/** Entries walked so far in one call: every root of one call shares it. */
export interface ScopeBudget {
  entries: number;
}

/** Describes the reader for deny messages. */
export interface ScopeReader {
  /** Names the call, e.g. "`grep -r`" or "The `grep` tool". */
  readonly what: string;
  /** What to do instead, in the "Allowed instead: …" sentence. */
  readonly instead: string;
}

/** A fresh budget for one call. */
export function scopeBudget(): ScopeBudget {
  return { entries: 0 };
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // unreadable or gone: the reader cannot read it either
  }
}

function relative(root: string, path: string, shown: string): string {
  const rel = posix.relative(root, path);
  if (rel === "") return shown;
  return shown === "." ? rel : posix.join(shown, rel);
}

/**
 * Throw a denial unless every file a recursive read of `root` (absolute, resolved) would read is
 * readable under the path rules. The walk ignores `.gitignore` and the like (conservative), follows
 * links only when the reader does (checking each link's target then), and gives up past
 * {@link MAX_SCOPE_ENTRIES} entries with a `paths.too-broad` denial. A missing root covers nothing.
 */
export function assertScopeReadable(
  paths: PathPolicy,
  root: string,
  shown: string,
  reader: ScopeReader,
  options: ScopeOptions,
  budget: ScopeBudget,
): void {
  const refuse = (path: string, rule: "paths.denied" | "paths.not-allowed", why: string): never =>
    deny(
      rule,
      path === root
        ? `${reader.what} reads \`${shown}\` (${path}), which ${why}.`
        : `${reader.what} reads every file beneath \`${shown}\`, including \`${relative(root, path, shown)}\` (${path}), which ${why}.`,
      reader.instead,
    );
  const rootDenial = paths.readDenial(root);
  if (rootDenial) refuse(root, rootDenial.rule, rootDenial.why);
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(root);
  } catch {
    return;
  }
  if (!stat.isDirectory()) return;
  const seen = new Set<string>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    const entries = list(dir);
    budget.entries += entries.length;
    if (budget.entries > MAX_SCOPE_ENTRIES) {
      deny(
        "paths.too-broad",
        `${reader.what} over \`${shown}\` covers more than ${MAX_SCOPE_ENTRIES} files and directories, more than the validator checks for denied files; denied rather than unchecked.`,
        reader.instead,
      );
    }
    for (const e of entries) {
      const path = dir === "/" ? `/${e.name}` : `${dir}/${e.name}`;
      if (options.skipGit && e.name === ".git") continue;
      const isLink = e.isSymbolicLink();
      const isDir = e.isDirectory();
      if (!isDir && !isLink && options.include && !options.include(e.name)) continue;
      const denial = paths.readDenial(path);
      // With an `include`, a denied directory is read only through the files it lets through,
      // and each of those is checked below (`secrets/` does not block `include: "*.md"`).
      if (denial && !(isDir && options.include)) refuse(path, denial.rule, denial.why);
      if (isDir) {
        stack.push(path);
        continue;
      }
      if (!isLink || !options.follow) continue;
      const target = paths.resolve(path);
      let targetIsDir = false;
      try {
        targetIsDir = statSync(target).isDirectory();
      } catch {
        continue; // dangling
      }
      if (!targetIsDir && options.include && !options.include(e.name)) continue;
      const linked = paths.readDenial(target);
      if (linked) refuse(path, linked.rule, `links to ${target}, which ${linked.why}`);
      if (targetIsDir && !seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
}
