// The host-server probe against a real OpenCode started with OPENCODE_SERVER_PASSWORD: it finds the
// password by the server's own 401, warns nowhere, and never prints the password. (The open case is
// the red-team file red-team/host-password.e2e.test.ts.)
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeHostServer } from "./host-server.js";
import { callRule, callToolIn } from "./test-support/scripted-calls.js";

const here = dirname(fileURLToPath(import.meta.url));
const PASSWORD = "host-password-must-not-be-printed-7d2e";

let model: ScriptedModel;
let opencode: OpencodeInstance;
let sessionID = "";
const call = (tool: string, args: Record<string, unknown> = {}) =>
  callToolIn({ model, opencode, sessionID }, tool, args);

beforeAll(async () => {
  model = await startScriptedModel({
    script: rules(
      [callRule, { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` }],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [join(here, "..", "dist", "index.js")],
    resolveFrom: here,
    startupTimeoutMs: 120_000,
    password: PASSWORD,
    config: { enabled_providers: ["scripted"] },
  });
  sessionID = (await opencode.client.session.create({ title: "host server" })).data?.id ?? "";
});

afterAll(async () => {
  await opencode?.stop();
  await model?.close();
});

describe("a host server with OPENCODE_SERVER_PASSWORD", () => {
  it("orchestrator_status says a password is required, found by the server's 401", async () => {
    const json = JSON.parse(await call("orchestrator_status", { format: "json" })) as {
      hostServer: { auth: string; detail: string; fix?: string };
    };
    expect(json.hostServer).toMatchObject({ auth: "password" });
    expect(json.hostServer.detail).toContain("401");
    expect(json.hostServer.fix).toBeUndefined();
    expect(await call("orchestrator_status", {})).toContain("Host server: password required");
  });

  it("warns nowhere and never prints the password", async () => {
    const output = await call("orchestrator_output", { format: "json" });
    expect(JSON.parse(output)).not.toContainEqual(expect.objectContaining({ kind: "warn" }));
    const status = await call("orchestrator_status", { format: "json" });
    const logDir = join(opencode.scratch, "data", "opencode", "log");
    const logs = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), "utf8"));
    for (const text of [output, status, ...logs]) expect(text).not.toContain(PASSWORD);
  });

  it("a probe without an answer falls back to the environment and says so", async () => {
    const closed = "http://127.0.0.1:9"; // discard port: nothing listens
    expect(await probeHostServer(closed, here, { OPENCODE_SERVER_PASSWORD: "x" }, 2_000)).toMatchObject({
      auth: "password",
    });
    const open = await probeHostServer(closed, here, {}, 2_000);
    expect(open.auth).toBe("unknown");
    expect(open.fix).toContain("OPENCODE_SERVER_PASSWORD");
  });
});
