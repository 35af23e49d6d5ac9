// README examples that are run (RELEASING.md, "README examples that are run"): a fenced block whose
// info string is `js runnable` or `sh runnable`, followed by a `text output` block with what it
// prints. This module finds them and runs them in a directory where the package is installed.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** One runnable block of a README and the output the README shows for it. */
export interface ReadmeExample {
  /** `js`: an ES module run with `node`; `sh`: a script run with `sh -e`. */
  lang: "js" | "sh";
  code: string;
  /** The `text output` block's text. */
  expected: string;
  /** The 1-based line of the runnable block's opening fence. */
  line: number;
}

/** What one example printed, normalised, and whether it matches. */
export interface ExampleRun {
  example: ReadmeExample;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** `stdout` after {@link normaliseOutput}. */
  actual: string;
  ok: boolean;
}

/** How to run examples. */
export interface RunOptions {
  /** The directory the package is installed in (the example's file is written there). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Exact strings replaced in the output before comparing, e.g. `{ [cwd]: "<project>" }`. */
  replace?: Record<string, string>;
}

const FENCE = /^(`{3,})(.*)$/;

/**
 * The runnable examples of a README, in order.
 *
 * @throws {Error} when a runnable block is not followed by a `text output` block (the example would
 *   be run without anything to compare), or a fence is not closed.
 */
export function extractExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split("\n");
  const blocks: { info: string; body: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? "");
    if (!open) continue;
    const [, ticks = "```", info = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j] ?? "").startsWith(ticks); j++) body.push(lines[j] ?? "");
    if (j >= lines.length) throw new Error(`README line ${i + 1}: the code block is not closed`);
    blocks.push({ info: info.trim(), body: body.join("\n"), line: i + 1 });
    i = j;
  }
  const examples: ReadmeExample[] = [];
  blocks.forEach((block, k) => {
    const [lang, mark] = block.info.split(/\s+/);
    if (mark !== "runnable") return;
    if (lang !== "js" && lang !== "sh")
      throw new Error(`README line ${block.line}: a runnable block must be js or sh, not ${lang}`);
    const next = blocks[k + 1];
    if (next?.info !== "text output")
      throw new Error(
        `README line ${block.line}: the runnable block is not followed by a \`text output\` block; add one with what it prints`,
      );
    examples.push({ lang, code: block.body, expected: next.body, line: block.line });
  });
  return examples;
}

/**
 * The comparable form of an output: each `replace` key by its value (paths that differ per run),
 * trailing whitespace of every line and trailing blank lines removed. Nothing else is changed.
 */
export function normaliseOutput(text: string, replace: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries(replace)) out = out.split(from).join(to);
  return out
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trimEnd();
}

function exec(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ exitCode, stdout, stderr });
      },
    );
  });
}

/** Run each example as a file in `options.cwd` (`readme-example-<n>.mjs` or `.sh`), one after another. */
export async function runExamples(
  examples: readonly ReadmeExample[],
  options: RunOptions,
): Promise<ExampleRun[]> {
  const runs: ExampleRun[] = [];
  for (const [n, example] of examples.entries()) {
    const file = join(options.cwd, `readme-example-${n + 1}.${example.lang === "js" ? "mjs" : "sh"}`);
    writeFileSync(file, `${example.code}\n`);
    const result =
      example.lang === "js"
        ? await exec(process.execPath, [file], options)
        : await exec("sh", ["-e", file], options);
    const actual = normaliseOutput(result.stdout, options.replace);
    runs.push({
      example,
      ...result,
      actual,
      ok: result.exitCode === 0 && actual === normaliseOutput(example.expected),
    });
  }
  return runs;
}
