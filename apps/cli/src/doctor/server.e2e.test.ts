import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

// `orchestra doctor --server` against one real `opencode serve` (no password, the Open Orchestra
// plugin loaded, the scripted model as its only provider), through the built command.
const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = fileURLToPath(import.meta.resolve("@orchestra/plugin"));

let model: ScriptedModel;
let opencode: OpencodeInstance;
let data = "";

interface Report {
  ok: boolean;
  checks: { id: string; status: string; message: string; hint?: string }[];
}

async function doctor(...args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("OPENCODE") && !k.startsWith("XDG_") && !k.startsWith("NEO4J_")) env[k] = v;
  Object.assign(env, {
    HOME: opencode.home,
    XDG_CONFIG_HOME: dirname(opencode.configDir),
    XDG_DATA_HOME: data,
  });
  const r = await runCli(["doctor", "--json", "--server", opencode.url, ...args], {
    cwd: opencode.directory,
    env,
  });
  const report = JSON.parse(r.stdout) as Report;
  return { code: r.code, report, check: (id: string) => report.checks.find((c) => c.id === id) };
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), "doctor-e2e-data-"));
  model = await startScriptedModel({ script: echoScript });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile],
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
  if (data) rmSync(data, { recursive: true, force: true });
});

describe("orchestra doctor --server against a real OpenCode", () => {
  it("server-auth warns: the server answers without a password", async () => {
    const { check } = await doctor();
    expect(check("server-auth")).toMatchObject({
      status: "warn",
      message: `${opencode.url} answers without a password: any local process can drive it (its config, sessions and shell)`,
    });
    expect(check("server-auth")?.hint).toContain("OPENCODE_SERVER_PASSWORD");
  });

  it("server-plugin passes: the plugin's tools are among the server's tool ids", async () => {
    const { check } = await doctor();
    expect(check("server-plugin")?.status).toBe("pass");
    expect(check("server-plugin")?.message).toMatch(
      /^the Open Orchestra plugin is loaded in http:\/\/127\.0\.0\.1:\d+ \(orchestrator_status, spawn_worker among its \d+ tools\)$/,
    );
  });

  it("providers and profiles: the connected provider is the one the profiles' models resolve to", async () => {
    const { check, code, report } = await doctor();
    expect(check("providers")?.status).toBe("pass");
    expect(check("providers")?.message).toMatch(
      /^connected: scripted; the profiles use: scripted \(vision, docs, coder, /,
    );
    expect(check("profiles")?.status).toBe("pass");
    expect(check("profiles")?.message).toContain("every model resolves against the server's catalog");
    expect(check("plugin-deps")?.status).toBe("pass");
    expect(report.checks.map((c) => c.id).slice(-2)).toEqual(["server-auth", "server-plugin"]);
    expect(code).toBe(report.ok ? 0 : 1);
  });

  it("profiles fail for a model the live catalog does not have; exit 1 (run last: it adds a project config)", async () => {
    writeFileSync(
      join(opencode.directory, "orchestrator.json"),
      JSON.stringify({
        profiles: [{ id: "mine", extends: "docs", model: "scripted/no-such-model", fallbackModels: [] }],
      }),
    );
    const { check, code, report } = await doctor();
    expect(check("profiles")?.status).toBe("fail");
    expect(check("profiles")?.message).toContain('mine: model "scripted/no-such-model" does not resolve: ');
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
  });
});
