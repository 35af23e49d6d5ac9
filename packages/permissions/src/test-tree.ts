import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CheckContext } from "./context.js";

/** A real project directory on disk, with a directory beside it that no profile allows. */
export interface TestTree {
  readonly project: string;
  readonly outside: string;
  /** A check context rooted at `project` (real filesystem, no symlink map). */
  readonly ctx: CheckContext;
  remove(): void;
}

/**
 * Build a temp tree: `files` (project-relative path → content), `outsideFiles` beside it, and
 * `links` (project-relative link → target, written as given).
 */
export function makeTree(
  files: Readonly<Record<string, string>>,
  outsideFiles: Readonly<Record<string, string>> = {},
  links: Readonly<Record<string, string>> = {},
): TestTree {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "orchestra-perm-")));
  const project = join(root, "project");
  const outside = join(root, "outside");
  mkdirSync(project);
  mkdirSync(outside);
  const write = (base: string, tree: Readonly<Record<string, string>>): void => {
    for (const [rel, content] of Object.entries(tree)) {
      mkdirSync(dirname(join(base, rel)), { recursive: true });
      if (rel.endsWith("/")) mkdirSync(join(base, rel), { recursive: true });
      else writeFileSync(join(base, rel), content);
    }
  };
  write(project, files);
  write(outside, outsideFiles);
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(dirname(join(project, rel)), { recursive: true });
    symlinkSync(target, join(project, rel));
  }
  return {
    project,
    outside,
    ctx: { cwd: project, home: join(root, "home"), platform: "linux", caseInsensitiveFs: false },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
