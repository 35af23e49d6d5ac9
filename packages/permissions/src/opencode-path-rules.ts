import { posix } from "node:path";
import { CONTROL_FILE_GLOBS, homeControlDirs } from "./control-files.js";
import type { OpencodeAction } from "./opencode-types.js";
import { externalDirectories, tailWildcards, worktreeWildcards } from "./opencode-wildcard.js";
import type { Policy } from "./policy.js";

/** Where OpenCode runs: absolute project directory, home and worktree (git root, or `/`). */
export interface PathContext {
  readonly cwd: string;
  readonly home: string;
  readonly worktree: string;
}

/** A profile glob as an absolute picomatch glob, or `undefined` when it names another user's home. */
function absolute(glob: string, ctx: PathContext): string | undefined {
  const g = glob.replace(/^(~|\$HOME|\$\{HOME\})(?=\/|$)/, () => ctx.home);
  if (g.startsWith("~")) return undefined;
  return posix.isAbsolute(g) ? g : posix.join(ctx.cwd, g);
}

/** The globs a path must match to be allowed (OpenCode cannot intersect lists; the first is a superset). */
function allowedGlobs(p: Policy, ctx: PathContext): string[] {
  const list = p.allowedLists?.[0] ?? [ctx.cwd, `${ctx.cwd}/**`];
  return list.flatMap((g) => absolute(g, ctx) ?? []);
}

/**
 * The `read` or `edit` rules: deny, then the allowed paths, then `..` (outside the worktree; only
 * reached when `external_directory` let the path through), then allowed paths outside the worktree,
 * then the denied globs, and for `edit` the control files and OpenCode's global config dir. Patterns
 * are relative to the worktree, as OpenCode matches them.
 */
export function pathRules(
  p: Policy,
  ctx: PathContext,
  kind: "read" | "edit",
): Record<string, OpencodeAction> {
  const rules: Record<string, OpencodeAction> = { "*": "deny" };
  const allowed = allowedGlobs(p, ctx).flatMap((g) => worktreeWildcards(g, ctx.worktree));
  const outside = (w: string) => w === ".." || w.startsWith("../");
  for (const w of allowed) if (!outside(w)) rules[w] = "allow";
  rules[".."] = "deny";
  rules["../*"] = "deny";
  for (const w of allowed) if (outside(w)) rules[w] = "allow";
  for (const g of p.deniedGlobs) {
    // `~other/…`: only `check` knows other users' homes (and it denies them without a `user`).
    const abs = absolute(g, ctx);
    if (abs !== undefined) for (const w of worktreeWildcards(abs, ctx.worktree)) rules[w] = "deny";
  }
  if (kind === "edit") {
    // Control files sit at any depth, also outside the project: `X` at the worktree root, `*/X` below
    // it and anywhere else (a relative path outside the worktree starts with `../`).
    for (const g of CONTROL_FILE_GLOBS) for (const w of tailWildcards(g)) rules[w] = "deny";
    for (const dir of homeControlDirs(ctx.home))
      for (const w of worktreeWildcards(`${dir}/**`, ctx.worktree)) rules[w] = "deny";
  }
  return rules;
}

/**
 * The `external_directory` rules. OpenCode asks this permission, with the absolute pattern `<dir>/*`,
 * for a file tool's path outside the project directory and the worktree, and for the directories of
 * path arguments of `cd`, `rm`, `cp`, `mv`, `mkdir`, `touch`, `chmod`, `chown` and `cat` in a shell
 * command. Deny, then allow the directories of allowed globs, then deny whole denied trees.
 */
export function externalDirectoryRules(p: Policy, ctx: PathContext): Record<string, OpencodeAction> {
  const rules: Record<string, OpencodeAction> = { "*": "deny" };
  if (p.allowedLists?.[0] === undefined) return rules;
  for (const g of allowedGlobs(p, ctx))
    for (const dir of externalDirectories(g)) rules[dir === "/" ? "/*" : `${dir}/*`] = "allow";
  for (const g of p.deniedGlobs) {
    const abs = absolute(g, ctx);
    if (abs === undefined) continue;
    const tail = abs.slice(abs.lastIndexOf("/") + 1);
    const tree = tail === "**" ? abs.slice(0, -3) : abs.endsWith("/**/*") ? abs.slice(0, -5) : undefined;
    if (tree !== undefined && !/[*?[{]/.test(tree)) rules[`${tree}/*`] = "deny";
  }
  return rules;
}
