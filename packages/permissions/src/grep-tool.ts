import { statSync } from "node:fs";
import { posix } from "node:path";
import picomatch from "picomatch";
import type { PathPolicy } from "./paths.js";
import { assertScopeReadable, scopeBudget } from "./search-scope.js";

/** `include` globs simple enough that picomatch and ripgrep's globset agree on a base name. */
const SIMPLE_INCLUDE = /^[A-Za-z0-9._*?{},-]+$/;

/**
 * Check OpenCode's `grep` tool (1.18.x) by everything it reads. It runs
 * `rg --hidden --glob=<include> --glob=!**\/.git/** <pattern> .` in the directory `path` names, or
 * in the directory that holds `path` when `path` is not a directory: every file below is searched.
 * Denies when any of those files (narrowed by a simple `include`) is denied; returns the directory.
 */
export function grepToolScope(
  paths: PathPolicy,
  resolved: string,
  shown: string,
  include: string | undefined,
): string {
  let isDir = false;
  try {
    isDir = statSync(resolved).isDirectory();
  } catch {
    isDir = false;
  }
  const dir = isDir ? resolved : posix.dirname(resolved);
  const dirShown = isDir ? shown : posix.dirname(shown);
  const narrowed =
    include !== undefined && SIMPLE_INCLUDE.test(include)
      ? picomatch(include, { dot: true, nonegate: true, windows: false })
      : undefined;
  assertScopeReadable(
    paths,
    dir,
    dirShown,
    {
      what: isDir
        ? "The `grep` tool"
        : `The \`grep\` tool (given the file \`${shown}\`, OpenCode searches its whole directory)`,
      instead:
        "`path` set to a directory that holds no denied file, or an `include` glob (such as `*.ts`) that matches no denied file",
    },
    { follow: false, skipGit: true, include: narrowed },
    scopeBudget(),
  );
  return dir;
}
