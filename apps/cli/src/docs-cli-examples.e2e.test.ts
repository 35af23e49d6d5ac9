// Executable docs: every CLI example of the documentation (docs-site pages and READMEs: fenced
// sh/bash/console blocks whose first command is `orchestra …`, test-support/docs-cli-examples.ts) is
// run with the built CLI as an isolated user whose provider is the scripted model, with a real
// OpenCode server running the built plugin where an example names one (`127.0.0.1:4096` is that server's address). A
// `console` block's shown output is checked line by line, and `echo $?` against the exit code; an
// `sh` block's commands must exit 0. A block marked `not-runnable: <reason>` is counted, not run; an
// unmarked block that does not run fails the test.
import { copyFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type OpencodeInstance,
  resolveOpencode,
  type ScriptedModel,
  seedPluginInstall,
  startOpencode,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliUserDirs, runWorkers, startCliUser } from "./test-support/cli-user.js";
import { allCliExamples, type CliExample, shellWords } from "./test-support/docs-cli-examples.js";
import { type CliRun, runCli } from "./test-support/run-cli.js";

const REPO = resolve(import.meta.dirname, "..", "..", "..");
const PLUGIN = join(REPO, "apps", "plugin", "dist", "index.js");
const dirs = cliUserDirs("orchestra-docs-examples-");
const examples = allCliExamples(REPO);

/** What a page's examples assume, as its prose says it (run once, before the page's first example). */
const SETUP: Readonly<Record<string, (project: string) => Promise<void>>> = {
  // "Worked example": v0.2.3's full example config as the project's .opencode/orchestrator.json.
  "docs-site/docs/runbooks/migrate-from-v0.2.md": async (project) => {
    mkdirSync(join(project, ".opencode"), { recursive: true });
    copyFileSync(
      join(import.meta.dirname, "commands", "migrate-fixtures", "full-example.json"),
      join(project, ".opencode", "orchestrator.json"),
    );
  },
  // "By hand": the commands act on running workers, so a coder runs first.
  "docs-site/docs/runbooks/operations.md": async (project) => {
    const spawned = await runWorkers(["spawn", "coder"], { cwd: project, env });
    expect(spawned.code, spawned.stderr).toBe(0);
  },
};

/** Where each page's examples run (as its prose says: /tmp/my-app on the migration page). */
const PROJECT_NAMES: Readonly<Record<string, string>> = {
  "docs-site/docs/runbooks/migrate-from-v0.2.md": "/tmp/my-app",
};

let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
let opencode: OpencodeInstance;
const projects = new Map<string, string>();

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, { script: (req) => `Echo: ${req.lastUserText ?? ""}` }));
  opencode = await startOpencode({
    directory: dirs.project,
    binary: env.ORCHESTRA_OPENCODE_BIN,
    model,
    // The user's OpenCode with the plugin installed, as the getting-started path sets it up.
    plugins: [PLUGIN],
    startupTimeoutMs: 120_000,
    env: { HOME: env.HOME, ...dirs.xdg },
  });
}, 240_000);

afterAll(async () => {
  await runWorkers(["stop", "--all"], { cwd: dirs.project, env });
  await opencode?.stop();
  await model?.close();
});

/** The page's own project directory, set up once. */
async function projectOf(file: string): Promise<string> {
  const known = projects.get(file);
  if (known) return known;
  const project = join(dirs.root, `project-${projects.size + 1}`);
  mkdirSync(project, { recursive: true });
  seedPluginInstall(
    join(project, ".opencode"),
    resolveOpencode({ resolveFrom: import.meta.dirname }).version,
  );
  projects.set(file, project);
  await SETUP[file]?.(project);
  return project;
}

/** The example's text with the page's names for places: its project path and the server's address. */
function placed(text: string, example: CliExample, project: string): string {
  const named = PROJECT_NAMES[example.file];
  const server = new URL(opencode.url).host;
  return (named ? text.split(named).join(project) : text).split("127.0.0.1:4096").join(server);
}

async function runExample(example: CliExample): Promise<void> {
  const project = await projectOf(example.file);
  let last: CliRun | undefined;
  for (const [n, command] of example.commands.entries()) {
    const where = `${example.file}:${example.line} \`${command}\``;
    if (command === "echo $?") {
      expect(String(last?.code), `${where} (the exit code shown)`).toBe(example.shown[n]?.[0]);
      continue;
    }
    const [program, ...args] = shellWords(placed(command, example, project));
    expect(program, where).toBe("orchestra");
    last = await runCli(args, { cwd: project, env });
    const printed = `${last.stdout}\n${last.stderr}`.split("\n").map((l) => l.trimEnd());
    const shown = (example.shown[n] ?? []).map((l) => placed(l, example, project));
    for (const line of shown) expect(printed, `${where} prints what the docs show`).toContain(line);
    const echoed = example.commands[n + 1] === "echo $?";
    if (!echoed) expect(last.code, `${where} exits 0:\n${last.stdout}\n${last.stderr}`).toBe(0);
  }
}

describe("the CLI examples of the docs", () => {
  it("are found, and each one not runnable as written says why", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const marked = examples.filter((e) => e.notRunnable !== undefined);
    for (const e of marked) expect(e.notRunnable?.length, `${e.file}:${e.line}`).toBeGreaterThan(10);
    const run = examples.filter((e) => e.notRunnable === undefined);
    console.log(
      `docs CLI examples: ${examples.length} blocks; ${run.length} run (${run.reduce((n, e) => n + e.commands.length, 0)} commands), ${marked.length} marked not runnable:\n${marked.map((e) => `  ${e.file}:${e.line}: ${e.notRunnable}`).join("\n")}`,
    );
  });

  for (const example of examples.filter((e) => e.notRunnable === undefined))
    it(`${example.file}:${example.line} runs as written`, () => runExample(example), 300_000);
});
