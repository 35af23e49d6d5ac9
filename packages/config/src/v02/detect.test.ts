import { describe, expect, it } from "vitest";
import { LOOKS_LIKE_V02, looksLikeV02, v02Evidence, v02Issues } from "./detect.js";

describe("looksLikeV02", () => {
  it("is true for v0.2 keys, boolean tools maps, node tags and a //migrate list", () => {
    expect(looksLikeV02({ basePort: 14096 })).toBe(true);
    expect(looksLikeV02({ profiles: [{ id: "docs", tools: { write: false } }] })).toBe(true);
    expect(looksLikeV02({ workers: [{ id: "x", model: "node:fast" }] })).toBe(true);
    expect(looksLikeV02({ agent: { model: "node" } })).toBe(true);
    expect(looksLikeV02({ "//migrate": [] })).toBe(true);
    expect(looksLikeV02({ memory: { inject: { maxGlobalEntries: 3 } } })).toBe(true);
  });

  it("is false for a v0.3 config and for shapes that are not configs", () => {
    expect(looksLikeV02({ healthCheck: { intervalMs: 30_000 }, workers: ["docs"] })).toBe(false);
    expect(
      looksLikeV02({
        profiles: [{ id: "x", model: "auto:fast", permissions: { categories: { filesystem: "read" } } }],
      }),
    ).toBe(false);
    expect(looksLikeV02(null)).toBe(false);
    expect(looksLikeV02([1, 2])).toBe(false);
  });

  it("names the path of each piece of evidence", () => {
    expect(
      v02Evidence({
        startupTimeout: 1,
        profiles: [{ id: "x", port: 1, model: "node", tools: { bash: false } }],
      }),
    ).toEqual(["startupTimeout", "profiles[0].port", "profiles[0].tools", "profiles[0].model"]);
  });
});

describe("v02Issues", () => {
  it("starts with the run-migrate issue, then one 'retired in v0.3' issue per key with its value", () => {
    const issues = v02Issues({ basePort: 14096, telemetry: { enabled: false } }, "/p/orchestrator.json");
    expect(issues[0]).toMatchObject({
      file: "/p/orchestrator.json",
      path: "(root)",
      problem: LOOKS_LIKE_V02,
    });
    expect(issues[0]?.got).toBe("v0.2 keys at basePort, telemetry");
    expect(issues.slice(1)).toEqual([
      {
        file: "/p/orchestrator.json",
        path: "basePort",
        problem:
          "retired in v0.3: every worker listens on a free port on 127.0.0.1 that the kernel picks for it, so there is no port range; delete it",
        got: "14096",
      },
      {
        file: "/p/orchestrator.json",
        path: "telemetry",
        problem: "retired in v0.3: v0.3 sends no telemetry (v0.2's PostHog client is gone); delete it",
        got: '{"enabled":false}',
      },
    ]);
  });

  it("flags a boolean tools map that would deny every call, not one on a built-in override or beside permissions", () => {
    const issues = v02Issues({
      profiles: [
        { id: "reviewer", tools: { bash: false } },
        { id: "docs", tools: { write: false } },
        { id: "safe", tools: { bash: false }, permissions: { categories: { filesystem: "read" } } },
        { id: "child", extends: "coder", tools: { bash: false } },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual(["(root)", "profiles[0].tools"]);
    expect(issues[1]?.problem).toContain("would deny every call");
    expect(issues[1]?.got).toBe('{"bash":false}');
  });

  it("shortens a long list of paths in the first issue", () => {
    const issues = v02Issues({
      basePort: 1,
      startupTimeout: 1,
      healthCheckInterval: 1,
      telemetry: {},
      ui: { firstRunDemo: true, wakeupInjection: true },
    });
    expect(issues[0]?.got).toBe(
      "v0.2 keys at basePort, startupTimeout, healthCheckInterval, telemetry and 2 more",
    );
  });

  it("is empty for a v0.3 config", () => {
    expect(v02Issues({ spawn: { startupTimeoutMs: 1000 }, profiles: ["docs"] })).toEqual([]);
  });
});
