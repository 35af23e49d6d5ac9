import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { isProcessAlive, processGroupMembers } from "@orchestra/process";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..");
const cli = join(here, "cli.ts");

/** Run the CLI from source (through tsx), in its own process group. */
function run(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`exited with ${code} before printing a URL`)));
  });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("orchestra-testkit bin", () => {
  it("prints help for both commands", async () => {
    const child = run(["--help"]);
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += String(d);
    });
    expect(await exitCode(child)).toBe(0);
    expect(out).toContain("model");
    expect(out).toContain("opencode");
  }, 60_000);

  it("model: prints the URL, serves the scripted model and stops cleanly on SIGTERM", async () => {
    const child = run(["model"]);
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await fetch(`${url}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "fake-fast", messages: [{ role: "user", content: "ping" }] }),
    });
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("Echo: ping");
    const exited = exitCode(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);

  it("opencode: prints the URL of a working OpenCode and leaves no process after SIGTERM", async () => {
    const child = run([
      "opencode",
      "--plugin",
      "test-fixtures/echo-plugin.js",
      "--startup-timeout",
      "150000",
    ]);
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += String(d);
    });
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/session`, { signal: AbortSignal.timeout(30_000) });
    expect(res.status).toBe(200);
    const pid = Number(/pid: (\d+)/.exec(stderr)?.[1]);
    expect(isProcessAlive(pid)).toBe(true);
    const exited = exitCode(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(processGroupMembers(pid)).toEqual([]);
    expect(isProcessAlive(pid)).toBe(false);
  }, 200_000);
});
