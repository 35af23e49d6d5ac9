import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readmeStep } from "./readme-step.js";

const fence = "```";

/** An "installed" package whose README is `readme`, in a fresh project. */
function installed(readme: string): { name: string; project: string } {
  const project = mkdtempSync(join(tmpdir(), "readme-step-"));
  dirs.push(project, `${project}-home`);
  mkdirSync(join(project, "node_modules", "@orchestra", "example"), { recursive: true });
  writeFileSync(join(project, "node_modules", "@orchestra", "example", "README.md"), readme);
  return { name: "@orchestra/example", project };
}
const dirs: string[] = [];

describe("the README example runs column", () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const step = readmeStep();

  it("passes when each runnable block of the packed README prints its output block", async () => {
    const readme = `${fence}js runnable\nconsole.log(process.cwd())\n${fence}\n\n${fence}text output\n<project>\n${fence}\n`;
    expect(step.column).toBe("README example runs");
    expect(await step.run(installed(readme))).toEqual({ ok: true, text: "pass (1)" });
  });

  it("fails with what was printed and what the README shows", async () => {
    const readme = `${fence}js runnable\nconsole.log(0.331)\n${fence}\n\n${fence}text output\n0.78\n${fence}\n`;
    const cell = await step.run(installed(readme));
    expect(cell).toMatchObject({ ok: false, text: "FAIL (1/1)" });
    expect(cell.detail).toContain(
      "README.md line 1 (exit 0):\n--- printed:\n0.331\n--- the README shows:\n0.78",
    );
  });

  it("fails a README without a runnable example", async () => {
    const cell = await step.run(installed(`# example\n\n${fence}ts\nconst x: number = 1;\n${fence}\n`));
    expect(cell).toMatchObject({ ok: false, text: "FAIL" });
    expect(cell.detail).toContain("has no `js runnable` or `sh runnable` block");
  });
});
