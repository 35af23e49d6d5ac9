import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { errorCount, findConfigProblems, problemFiles, problemLines } from "./config-problems.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A home with a global config dir and a project, each file written only when given. */
function setup(files: { global?: string; project?: string }) {
  const root = mkdtempSync(join(tmpdir(), "orchestra-degraded-"));
  dirs.push(root);
  const env = { XDG_CONFIG_HOME: join(root, "config") };
  const projectDir = join(root, "project");
  const global = join(env.XDG_CONFIG_HOME, "opencode", "orchestrator.json");
  const project = join(projectDir, ".opencode", "orchestrator.json");
  mkdirSync(join(env.XDG_CONFIG_HOME, "opencode"), { recursive: true });
  mkdirSync(join(projectDir, ".opencode"), { recursive: true });
  if (files.global !== undefined) writeFileSync(global, files.global);
  if (files.project !== undefined) writeFileSync(project, files.project);
  return { options: { projectDir, env, home: root }, global, project };
}

describe("findConfigProblems", () => {
  it("finds nothing when there is no config or a valid one", async () => {
    expect(await findConfigProblems(setup({}).options)).toBeUndefined();
    expect(
      await findConfigProblems(setup({ project: '{ "ui": { "toasts": false } }' }).options),
    ).toBeUndefined();
  });

  it("lists every error of the global and the project file, each with its file and JSON path", async () => {
    const { options, global, project } = setup({
      global: JSON.stringify({ healthCheck: { intervalMs: "often" } }),
      project: JSON.stringify({ ui: { toasts: "yes" }, profiles: [{ id: "coder", temperature: 9 }] }),
    });
    const problems = await findConfigProblems(options);
    expect(problems?.code).toBe("CONFIG_INVALID");
    expect(problems?.issues.map((i) => [i.file, i.path])).toEqual([
      [global, "healthCheck.intervalMs"],
      [project, "profiles[0].temperature"],
      [project, "ui.toasts"],
    ]);
    if (!problems) return;
    expect(problemFiles(problems)).toEqual([global, project]);
    expect(errorCount(problems)).toBe("3 config errors");
    expect(problemLines(problems)[2]).toBe(
      `${project}: ui.toasts: wrong type (got string "yes", expected boolean)`,
    );
  });

  it("answers a file that is not JSON under the same code, with its line and column", async () => {
    const { options, project } = setup({ project: '{ "ui": { "toasts": true }' });
    const problems = await findConfigProblems(options);
    expect(problems?.code).toBe("CONFIG_INVALID");
    expect(problems && problemLines(problems)).toEqual([
      expect.stringMatching(
        new RegExp(`^${project.replaceAll("/", "\\/")}: line 1, column \\d+: syntax error`),
      ),
    ]);
    expect(problems && errorCount(problems)).toBe("1 config error");
  });
});
