import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractExamples, normaliseOutput, runExamples } from "./readme-examples.js";

const fence = "```";
const readme = [
  "# pkg",
  `${fence}sh`,
  "pnpm add pkg",
  fence,
  `${fence}js runnable`,
  'console.log("one");',
  fence,
  "",
  `${fence}text output`,
  "one",
  fence,
  `${fence}ts`,
  "const notRun: number = 1;",
  fence,
  `${fence}sh runnable`,
  "echo two; pwd",
  fence,
  `${fence}text output`,
  "two",
  "<project>",
  fence,
].join("\n");

describe("README examples", () => {
  const dir = mkdtempSync(join(tmpdir(), "readme-examples-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the runnable blocks with the output block after each, and nothing else", () => {
    expect(extractExamples(readme)).toEqual([
      { lang: "js", code: 'console.log("one");', expected: "one", line: 5 },
      { lang: "sh", code: "echo two; pwd", expected: "two\n<project>", line: 15 },
    ]);
  });

  it("refuses a runnable block without an output block, and one in another language", () => {
    expect(() => extractExamples(`${fence}js runnable\nx\n${fence}\n${fence}js\ny\n${fence}`)).toThrow(
      "README line 1: the runnable block is not followed by a `text output` block",
    );
    expect(() => extractExamples(`${fence}ts runnable\nx\n${fence}\n${fence}text output\n${fence}`)).toThrow(
      "a runnable block must be js or sh, not ts",
    );
    expect(() => extractExamples(`${fence}js runnable\nx`)).toThrow(
      "README line 1: the code block is not closed",
    );
  });

  it("normalises only the given strings and trailing whitespace", () => {
    expect(normaliseOutput("at /tmp/x/a  \n 2026 \n\n", { "/tmp/x": "<project>" })).toBe(
      "at <project>/a\n 2026",
    );
  });

  it("runs each block in the directory and compares its stdout with the README's", async () => {
    const runs = await runExamples(extractExamples(readme), {
      cwd: dir,
      env: process.env,
      replace: { [dir]: "<project>" },
    });
    expect(runs.map((r) => [r.ok, r.actual])).toEqual([
      [true, "one"],
      [true, "two\n<project>"],
    ]);
  });

  it("fails an example that prints something else or exits non-zero", async () => {
    const [wrong, crash] = await runExamples(
      extractExamples(
        `${fence}js runnable\nconsole.log(0.331)\n${fence}\n${fence}text output\n0.78\n${fence}\n` +
          `${fence}js runnable\nhelper()\n${fence}\n${fence}text output\n${fence}`,
      ),
      { cwd: dir, env: process.env },
    );
    expect(wrong).toMatchObject({ ok: false, exitCode: 0, actual: "0.331" });
    expect(crash).toMatchObject({ ok: false, exitCode: 1 });
    expect(crash?.stderr).toContain("helper is not defined");
  });
});
