import { type Dirent, readdirSync } from "node:fs";
import { posix } from "node:path";
import { CONTROL_FILE_GLOBS, SANDBOX_CONTROL_NAMES } from "./control-files.js";
import { PermissionsError } from "./errors.js";

/**
 * Names that are control files at any depth (`sub/.opencode`, `pkg/.npmrc`, `vendor/x/.git`), from the
 * `**∕<name>` entries of {@link CONTROL_FILE_GLOBS}.
 */
export const CONTROL_BASENAMES: readonly string[] = CONTROL_FILE_GLOBS.filter((g) =>
  /^\*\*\/[^/*]+$/.test(g),
).map((g) => g.slice(3));

/**
 * Two-level control directories at any depth (`.yarn/plugins`, `.yarn/releases`), as
 * `<parent>/<name>`, from the `**∕<a>/<b>` entries of {@link CONTROL_FILE_GLOBS} outside `.git`.
 */
export const CONTROL_NESTED: readonly string[] = CONTROL_FILE_GLOBS.filter(
  (g) => /^\*\*\/[^/*]+\/[^/*]+$/.test(g) && !g.startsWith("**/.git/"),
).map((g) => g.slice(3));

/** Control paths inside every git directory (`config`, `hooks`, `objects/info/alternates`, …). */
export const GIT_DIR_CONTROL_NAMES: readonly string[] = SANDBOX_CONTROL_NAMES.filter((n) =>
  n.startsWith(".git/"),
).map((n) => n.slice(5));

/** Most directory entries {@link scanTree} reads before it gives up (failing closed). */
export const DEFAULT_WALK_LIMIT = 300_000;

/** What {@link scanTree} found. */
export interface TreeScan {
  /** Existing entries that match a denied glob: to hide. Directories hide their whole tree. */
  readonly denied: readonly { readonly path: string; readonly dir: boolean }[];
  /** Existing control entries named in {@link CONTROL_BASENAMES} or {@link CONTROL_NESTED} (not `.git`), absolute. */
  readonly controls: readonly { readonly path: string; readonly dir: boolean }[];
  /** Existing `.git` entries (directories and `gitdir:` files), absolute. */
  readonly gitEntries: readonly { readonly path: string; readonly dir: boolean }[];
  /** Directory entries read. */
  readonly entries: number;
}

/** Options of {@link scanTree}. */
export interface ScanOptions {
  /** Whether an absolute path is denied by the profile. */
  readonly denied: (path: string) => boolean;
  /** Whether to collect control entries (only for the project). */
  readonly controls: boolean;
  /** Most entries to read (default {@link DEFAULT_WALK_LIMIT}); shared budget across calls via `budget`. */
  readonly budget: { remaining: number };
}

const CONTROL = new Set(CONTROL_BASENAMES);
const NESTED = new Set(CONTROL_NESTED);

function isControl(dir: string, name: string): boolean {
  return CONTROL.has(name) || NESTED.has(`${posix.basename(dir)}/${name}`);
}

/**
 * Walk `root` without following symlinks: find what must be hidden (entries matching a denied glob,
 * node_modules included: a denied file there is as secret as anywhere) and the existing control entries.
 * `.git` directories are not entered. Throws `SANDBOX_TREE_TOO_LARGE` when the budget runs out, so a
 * tree too big to check is refused rather than exposed.
 */
export function scanTree(root: string, options: ScanOptions): TreeScan {
  const denied: { path: string; dir: boolean }[] = [];
  const controls: { path: string; dir: boolean }[] = [];
  const gitEntries: { path: string; dir: boolean }[] = [];
  let entries = 0;
  // [dir, whether it is inside a control directory]
  const stack: [string, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [dir, inControl] = stack.pop() as [string, boolean];
    let list: Dirent[];
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries += list.length;
    options.budget.remaining -= list.length;
    if (options.budget.remaining < 0)
      throw new PermissionsError(
        "SANDBOX_TREE_TOO_LARGE",
        `The sandbox must check every file under ${root} for denied paths and control files before a command runs, and the tree has more entries than the limit (${entries} read so far).`,
        {
          hints: [
            "Run the worker in a smaller project directory, or narrow `paths.allowed`; the command was not run.",
          ],
        },
      );
    for (const entry of list) {
      const path = posix.join(dir, entry.name);
      const isDir = entry.isDirectory();
      if (options.denied(path) || (isDir && options.denied(`${path}/\0`))) {
        denied.push({ path, dir: isDir });
        continue;
      }
      if (options.controls && !inControl) {
        if (entry.name === ".git") {
          gitEntries.push({ path, dir: isDir });
          continue;
        }
        if (isControl(dir, entry.name)) controls.push({ path, dir: isDir });
      }
      if (isDir && entry.name !== ".git") stack.push([path, inControl || isControl(dir, entry.name)]);
    }
  }
  return { denied, controls, gitEntries, entries };
}
