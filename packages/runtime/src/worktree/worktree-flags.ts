import { posix } from "node:path";
import { runGit } from "./git-run.js";

/** True when `files` include a `.gitignore` (at any depth): files it stops hiding may be replaced. */
export function touchesGitignore(files: readonly string[]): boolean {
  return files.some((file) => posix.basename(file) === ".gitignore");
}

/** True when a symlink at `file` (relative to the repository) with `target` points outside it. */
function pointsOutside(file: string, target: string): boolean {
  if (posix.isAbsolute(target)) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(file), target));
  return resolved === ".." || resolved.startsWith("../");
}

/**
 * The symlinks a diff (`range`: `--cached <base>` or `<base> <tip>`, run in `cwd` with `env`) adds or
 * changes that point outside the repository, as `<path> -> <target>`, sorted: a merge would place
 * them in the user's tree, where following one reads or writes outside the project.
 */
export async function outsideSymlinks(
  cwd: string,
  range: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const raw = await runGit(
    cwd,
    ["diff", "--no-ext-diff", "--no-textconv", "--no-renames", "--raw", "-z", "--no-abbrev", ...range],
    { env },
  );
  if (raw.code !== 0) return [];
  const parts = raw.stdout.split("\0");
  const links: string[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [, , mode, , blob] = (parts[i] ?? "").split(/[: ]+/);
    const file = parts[i + 1] ?? "";
    if (mode !== "120000" || blob === undefined) continue;
    const target = await runGit(cwd, ["cat-file", "blob", blob], { env });
    if (target.code === 0 && pointsOutside(file, target.stdout)) links.push(`${file} -> ${target.stdout}`);
  }
  return links.sort();
}

/**
 * Warning lines for a worker's changes that deserve a look before (or after) merging: a changed
 * `.gitignore`, and symlinks pointing outside the repository. Empty when there is nothing to say.
 */
export function changesWarnings(changes: { gitignore?: boolean; symlinks?: readonly string[] }): string[] {
  const lines: string[] = [];
  if (changes.gitignore)
    lines.push("warning: the changes edit a .gitignore: review which files it stops (or starts) ignoring");
  if (changes.symlinks !== undefined && changes.symlinks.length > 0)
    lines.push(`warning: symlinks pointing outside the repository: ${changes.symlinks.join(", ")}`);
  return lines;
}
