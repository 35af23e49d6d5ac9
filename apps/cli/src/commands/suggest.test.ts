import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");
const run = promisify(execFile);
let root: string;

async function orchestra(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-suggest-"));
  await writeFile(
    join(root, "orchestrator.json"),
    JSON.stringify({
      profiles: [
        { id: "dba", purpose: "Tunes databases", tags: ["postgres", "sql", "query plan"] },
        // Valid config, but its parent does not exist: it fails closed when resolved.
        { id: "broken", tags: ["postgres"], extends: "no-such-parent" },
      ],
    }),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("orchestra suggest", { timeout: 60_000 }, () => {
  it.each([
    ["analyze this image and extract text", "vision"],
    ["write a REST API endpoint", "coder"],
    ["review this PR for security issues", "architect"],
  ])("--json ranks %j → %s first", async (task, id) => {
    const r = await orchestra(["suggest", task, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { profile: string; confidence: number; reasons: string[] }[];
    expect(out).toHaveLength(3);
    expect(out[0]?.profile).toBe(id);
    expect(Object.keys(out[0] ?? {})).toEqual(["profile", "confidence", "reasons"]);
    for (let i = 1; i < out.length; i++)
      expect(out[i - 1]?.confidence).toBeGreaterThanOrEqual(out[i]?.confidence ?? 0);
  });

  it("prints a low-confidence note for vague input", async () => {
    const r = await orchestra(["suggest", "can you help me with something"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(low confidence");
  });

  it("includes the config's profiles, never suggests an invalid one, and honours --limit", async () => {
    const r = await orchestra([
      "suggest",
      "look at this slow postgres query plan",
      "--json",
      "--config",
      "orchestrator.json",
      "--limit",
      "2",
    ]);
    const out = JSON.parse(r.stdout) as { profile: string }[];
    expect(out.map((m) => m.profile)[0]).toBe("dba");
    expect(out).toHaveLength(2);
    expect(out.some((m) => m.profile === "broken")).toBe(false);
  });

  it("rejects a bad --limit with exit 2", async () => {
    const r = await orchestra(["suggest", "x", "--limit", "zero"]);
    expect(r.code).toBe(2);
  });
});
