// The "README example runs" column of `pnpm release:check`: the README inside the tarball, its
// `js runnable` / `sh runnable` blocks run in the project where the tarball was installed alone,
// each block's stdout compared with the `text output` block after it (RELEASING.md, "README
// examples that are run"). A package without a runnable example fails: every README shows one.
import { mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractExamples, runExamples } from "../../apps/cli/src/test-support/readme-examples.js";
import { readmeSetup } from "../../apps/cli/src/test-support/readme-setup.js";

/** A cell of the check's table (the shape of `Cell` in steps.ts). */
interface Cell {
  ok: boolean;
  text: string;
  detail?: string;
}

/** The package under check, as far as this step reads it (`PackageUnderCheck` in steps.ts). */
interface InstalledPackage {
  name: string;
  /** The empty project where the tarball was installed alone. */
  project: string;
}

/** Run the packed README's examples where the package was installed; the cell counts them. */
async function readmeCell(pkg: InstalledPackage): Promise<Cell> {
  let examples: ReturnType<typeof extractExamples>;
  try {
    const readme = readFileSync(join(pkg.project, "node_modules", pkg.name, "README.md"), "utf8");
    examples = extractExamples(readme);
  } catch (error) {
    return { ok: false, text: "FAIL", detail: `README.md: ${(error as Error).message}` };
  }
  if (examples.length === 0)
    return {
      ok: false,
      text: "FAIL",
      detail: "README.md has no `js runnable` or `sh runnable` block: add one with its `text output`",
    };
  // The reader's own HOME: a fresh one beside the project, so nothing of this machine leaks in.
  const home = `${pkg.project}-home`;
  mkdirSync(home, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TMPDIR: tmpdir(), LANG: "C.UTF-8" };
  const setup = await readmeSetup(pkg.name, { project: pkg.project, env });
  try {
    const runs = await runExamples(examples, {
      cwd: pkg.project,
      env: { ...env, ...setup.env },
      replace: { [pkg.project]: "<project>", ...setup.replace },
    });
    const failed = runs.filter((run) => !run.ok);
    if (failed.length === 0) return { ok: true, text: `pass (${runs.length})` };
    const detail = failed
      .map(
        (run) =>
          `README.md line ${run.example.line} (exit ${run.exitCode}):\n--- printed:\n${run.actual}\n` +
          `--- the README shows:\n${run.example.expected}\n--- stderr:\n${run.stderr.trim()}`,
      )
      .join("\n");
    return { ok: false, text: `FAIL (${failed.length}/${runs.length})`, detail };
  } finally {
    await setup.close();
  }
}

/** The step for `check.ts`'s `steps` (a `Step` of steps.ts). */
export function readmeStep(): { column: string; run(pkg: InstalledPackage): Promise<Cell> } {
  return { column: "README example runs", run: (pkg) => readmeCell(pkg) };
}
