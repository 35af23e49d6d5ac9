import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../config-error.js";
import { loadConfig, validateConfig } from "../load.js";
import { LOOKS_LIKE_V02 } from "./detect.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "orchestra-config-v02-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the loader on a v0.2 file", () => {
  it("says run `orchestra migrate`, and 'retired in v0.3' instead of a generic unknown key or a wrong did-you-mean", () => {
    const result = validateConfig({
      basePort: 14096,
      startupTimeout: 45_000,
      profiles: [
        { id: "reviewer", model: "anthropic/claude-sonnet-4-5", port: 14200, providerID: "anthropic" },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual([
      "(root)",
      "basePort",
      "startupTimeout",
      "profiles[0].providerID",
      "profiles[0].port",
    ]);
    expect(result.issues[0]?.problem).toBe("this looks like a v0.2 config: run `orchestra migrate`");
    for (const issue of result.issues.slice(1)) {
      expect(issue.problem).toMatch(/^retired in v0\.3: /);
      expect(issue.didYouMean).toBeUndefined();
    }
    expect(result.issues[2]).toMatchObject({
      problem: "retired in v0.3: use `spawn.startupTimeoutMs` (milliseconds, 1000 to 600000)",
      got: "45000",
    });
    expect(result.issues.some((i) => i.problem === "unknown key")).toBe(false);
  });

  it("still reports v0.3 problems beside the v0.2 ones", () => {
    const result = validateConfig({ telemetry: { enabled: true }, healthCheck: { intervalMs: 5 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => `${i.path}: ${i.problem}`)).toEqual([
      `(root): ${LOOKS_LIKE_V02}`,
      "telemetry: retired in v0.3: v0.3 sends no telemetry (v0.2's PostHog client is gone); delete it",
      "healthCheck.intervalMs: too small",
    ]);
  });

  it("never lets a boolean tools map validate into deny-all", () => {
    const result = validateConfig({ profiles: [{ id: "reviewer", tools: { write: false, edit: false } }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[1]).toMatchObject({
      path: "profiles[0].tools",
      got: '{"write":false,"edit":false}',
    });
    expect(result.issues[1]?.expected).toContain("orchestra migrate");
  });

  it("fails loadConfig with CONFIG_V02, naming the file and what to run", async () => {
    const file = join(dir, "orchestrator.json");
    await writeFile(file, JSON.stringify({ healthCheckInterval: 30_000, workers: ["docs"] }));
    const error = await loadConfig({ file }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    const e = error as ConfigError;
    expect(e.code).toBe("CONFIG_V02");
    expect(e.message).toContain(
      `This looks like a v0.2 orchestrator config, run \`orchestra migrate\` (2 errors) in ${file}`,
    );
    expect(e.message).toContain(
      "healthCheckInterval: retired in v0.3: use `healthCheck.intervalMs` (milliseconds, at least 10000) (got 30000)",
    );
    expect(e.hints.join(" ")).toContain("orchestra migrate --write");
  });

  it("fails on a //migrate list left by `orchestra migrate`", () => {
    const result = validateConfig({ "//migrate": [{ path: "foo", value: 1, reason: "unknown key" }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[1]).toMatchObject({
      path: '["//migrate"]',
      problem: "keys that `orchestra migrate` could not place",
    });
  });

  it("keeps CONFIG_INVALID for a v0.3 file", async () => {
    const file = join(dir, "v03.json");
    await writeFile(file, JSON.stringify({ healthCheck: { intervalMs: 5 } }));
    const error = (await loadConfig({ file }).catch((e: unknown) => e)) as ConfigError;
    expect(error.code).toBe("CONFIG_INVALID");
  });
});
