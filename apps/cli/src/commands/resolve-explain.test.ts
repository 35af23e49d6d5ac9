import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const here = dirname(fileURLToPath(import.meta.url));
const snapshot = resolve(here, "../../../../packages/resolver/fixtures/opencode-1.18.33-provider.json.gz");
let root: string;

/** `orchestra <args>` in the test's directory, with a HOME of its own (no global config of the machine). */
const orchestra = (args: string[]) =>
  runCli(args, {
    cwd: root,
    env: { ...process.env, HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "home", ".config") },
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-resolve-explain-"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Each run parses the 8,205-model snapshot in a fresh process; allow for a loaded machine.
describe("orchestra resolve --explain", { timeout: 60_000 }, () => {
  it("--explain prints the top five candidates with their scores and the deciding signal", async () => {
    const args = ["resolve", "auto", "--catalog", snapshot, "--connected", "openai", "--explain"];
    const json = await orchestra([...args, "--json"]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.explain.candidates).toHaveLength(5);
    expect(out.explain.candidates[0]).toMatchObject({ rank: 1, model: out.model });
    for (const c of out.explain.candidates) {
      expect(typeof c.score).toBe("number");
      expect(c.signal.length).toBeGreaterThan(0);
    }
    expect(out.explain.candidates[1].model).toBe(out.rejected[0].model);
    expect(out.explain.decidingSignal).toBe(out.explain.candidates[0].signal);
    const human = await orchestra(args);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("top 5 candidates (auto, mode performance):");
    expect(human.stdout).toMatch(new RegExp(`^ {2}1\\. ${out.model.replace(/[.]/g, "\\.")} +score `, "m"));
    expect(human.stdout).toMatch(/^ {2}5\. \S+ +score /m);
  });

  it("--explain on an explicit reference says nothing was ranked", async () => {
    const r = await orchestra([
      "resolve",
      "openai/gpt-4o",
      "--catalog",
      snapshot,
      "--connected",
      "openai",
      "--explain",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no ranking: explicit reference");
  });
});
