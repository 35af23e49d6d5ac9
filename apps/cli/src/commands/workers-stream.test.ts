import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { rules, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cli, cliUserDirs, startCliUser } from "../test-support/cli-user.js";

// `orchestra workers ask --stream` against a real `opencode serve` worker and the scripted model
// (a reply streamed slowly, and one tool call), in an isolated HOME: the CLI prints the worker's
// text as it arrives, and tool starts and ends on stderr. Arrival times of stdout chunks are
// compared with each other and with the model's request log, never with wall-clock limits.
const dirs = cliUserDirs("orchestra-cli-workers-");
const { root, project } = dirs;
let model: ScriptedModel;
const REPLY = "Streaming from the worker: one chunk after another, until the very last word.";
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Each stdout chunk with `Date.now()` when this process read it. */
  chunks: { at: number; text: string }[];
}

function orchestra(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "workers", ...args], { cwd: project, env });
    const run: Run = { code: null, stdout: "", stderr: "", chunks: [] };
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      run.chunks.push({ at: Date.now(), text });
      run.stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      run.stderr += text;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ ...run, code }));
  });
}

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: rules(
      [
        { userText: "slowly", reply: { type: "text", text: REPLY, chunkSize: 6, chunkDelayMs: 80 } },
        {
          userText: "run the tool",
          reply: {
            type: "tool-calls",
            calls: [{ name: "bash", args: { command: "true", description: "noop" } }],
          },
        },
        { toolResult: "bash", reply: "tool done" },
      ],
      (req) => `worker says: ${req.lastUserText}`,
    ),
  }));
});

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("orchestra workers ask --stream", { timeout: 240_000 }, () => {
  it("prints the first chunk of a slow reply before the model finished writing it, the whole text once", async () => {
    const spawned = await orchestra("spawn", "explorer", "--json");
    expect(spawned.code).toBe(0);
    pids.add((JSON.parse(spawned.stdout) as { pid: number }).pid);

    const result = await orchestra("ask", "explorer", "answer slowly", "--stream");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${REPLY}\n`);
    // At least two writes reached this process separately (on a busy machine OpenCode and the pipe
    // may pass several deltas on in one burst, so how many is not fixed).
    expect(result.chunks.length).toBeGreaterThanOrEqual(2);
    const request = model.requests.findLast(
      (r) => r.lastUserText === "answer slowly" && r.toolNames.length > 0,
    );
    expect(request?.finishedAt).toBeDefined();
    const first = result.chunks[0];
    const last = result.chunks.at(-1);
    // The first chunk was printed while the model was still writing its reply.
    expect(first?.at).toBeLessThan(request?.finishedAt ?? 0);
    expect(first?.text.length).toBeLessThan(REPLY.length);
    expect(last?.at).toBeGreaterThan(first?.at ?? Number.POSITIVE_INFINITY);
  });

  it("prints tool starts and ends as lines on stderr, the text on stdout", async () => {
    const result = await orchestra("ask", "explorer", "please run the tool", "--stream");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("tool done\n");
    expect(result.stderr).toMatch(/^tool-start bash\ntool-end bash completed\n/m);
  });

  it("without --stream prints the final answer once, as before", async () => {
    const result = await orchestra("ask", "explorer", "answer slowly");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${REPLY}\n`);
    expect(result.stderr).not.toContain("tool-start");
  });

  it("stop ends the worker", async () => {
    expect((await orchestra("stop", "explorer")).code).toBe(0);
  });
});
