import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultJournalFile, openJobJournal } from "@orchestra/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

// `orchestra usage` over a job journal (the one `--registry` points beside). The journal's figures
// come from real asks in packages/runtime/src/ledger/ledger.opencode.test.ts; here the jobs are
// recorded directly, with exact costs, to check the command's table, JSON shape and options.
const root = mkdtempSync(join(tmpdir(), "orchestra-cli-usage-"));
const registry = join(root, "registry.json");
const env = {
  ...process.env,
  HOME: root,
  XDG_DATA_HOME: join(root, "data"),
  XDG_CONFIG_HOME: join(root, "config"),
};
const run = (args: string[]) => runCli(["usage", ...args], { cwd: root, env });

const T = (n: number) => ({ input: n, output: 2 * n, reasoning: 3 * n, cacheRead: 4 * n, cacheWrite: 5 * n });

beforeAll(() => {
  writeFileSync(registry, "{}");
  const journal = openJobJournal({ file: defaultJournalFile(registry), ownerKind: "cli" });
  const record = (worker: string, profile: string, cost: number | null, model: string, session?: string) => {
    const job = journal.create({
      worker,
      profile,
      message: "m",
      ...(session ? { callerSession: session } : {}),
    });
    journal.finish(job.id, {
      status: "done",
      text: "ok",
      usage: { tokens: T(10), cost, costSource: cost === null ? null : "opencode", model },
    });
  };
  record("coder-1", "coder", 0.5, "scripted/fake-ledger", "ses-a");
  record("coder-1", "coder", 0.25, "scripted/fake-ledger", "ses-a");
  record("docs-1", "docs", null, "scripted/fake-unpriced");
  journal.close();
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("orchestra usage", { timeout: 60_000 }, () => {
  it("--json prints exactly { total: { tokens, cost, knownCost }, rows: [{ key, tokens, cost, knownCost, jobs }] }", async () => {
    const { code, stdout } = await run(["--json", "--registry", registry]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      total: { tokens: T(30), cost: null, knownCost: 0.75 },
      rows: [
        { key: "coder-1", tokens: T(20), cost: 0.75, knownCost: 0.75, jobs: 2 },
        { key: "docs-1", tokens: T(10), cost: null, knownCost: 0, jobs: 1 },
      ],
    });
  });

  it("--by profile, model and session key the rows by those", async () => {
    const keys = async (by: string) =>
      (
        JSON.parse((await run(["--json", "--by", by, "--registry", registry])).stdout) as {
          rows: { key: string }[];
        }
      ).rows.map((r) => r.key);
    expect(await keys("profile")).toEqual(["coder", "docs"]);
    expect(await keys("model")).toEqual(["scripted/fake-ledger", "scripted/fake-unpriced"]);
    expect(await keys("session")).toEqual(["(no session)", "ses-a"]);
  });

  it("prints a table with a total row; --since keeps recent jobs only", async () => {
    const { code, stdout } = await run(["--registry", registry]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^WORKER\s+JOBS\s+INPUT\s+OUTPUT\s+REASONING\s+CACHE READ\s+CACHE WRITE\s+COST$/,
    );
    expect(lines[1]).toMatch(/^coder-1\s+2\s+20\s+40\s+60\s+80\s+100\s+\$0\.7500$/);
    expect(lines[2]).toMatch(/^docs-1\s+1\s+.*unknown$/);
    expect(lines[3]).toMatch(/^TOTAL\s+3\s+30\s+60\s+90\s+120\s+150\s+unknown \(≥ \$0\.7500\)$/);
    const recent = JSON.parse((await run(["--json", "--since", "30m", "--registry", registry])).stdout);
    expect(recent.rows).toHaveLength(2);
  });

  it("without a journal: no jobs, zeros, cost 0", async () => {
    mkdirSync(join(root, "other"));
    writeFileSync(join(root, "other", "registry.json"), "{}");
    const { code, stdout } = await run(["--json", "--registry", join(root, "other", "registry.json")]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ total: { tokens: T(0), cost: 0, knownCost: 0 }, rows: [] });
  });

  it("a bad --since or --by exits 2 with usage; with --json, the one failure object", async () => {
    const bad = await run(["--since", "2 hours", "--registry", registry]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since takes a duration such as 30m, 2h or 7d (got "2 hours")');
    expect(bad.stderr).toContain("usage: orchestra usage [--json] [--since DURATION]");
    const json = await run(["--json", "--since", "3y", "--registry", registry]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      code: "CLI_USAGE",
      message: '--since takes a duration such as 30m, 2h or 7d (got "3y")',
      hints: expect.arrayContaining(["a whole number followed by s, m, h, d or w"]),
    });
    const by = await run(["--json", "--by", "team", "--registry", registry]);
    expect(by.code).toBe(2);
    expect(JSON.parse(by.stdout)).toMatchObject({ ok: false, code: "CLI_USAGE" });
    expect(JSON.parse(by.stdout).message).toContain("worker, profile, model, session");
  });

  it("--help says what it shows, the JSON shape, DURATION and the groupings", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    for (const text of [
      "--since <duration>",
      "--by <grouping>",
      "knownCost",
      "(30m, 2h, 7d)",
      "choices:",
      '"session"',
      "Examples:",
    ])
      expect(stdout).toContain(text);
  });
});
