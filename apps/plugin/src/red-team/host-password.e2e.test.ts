// Red team: the host OpenCode server has no password by default, so any local process can drive it
// (and through it every session worker) past the plugin's checks: its `/session/:id/shell` route and
// `PATCH /config` never reach `tool.execute.before`. The plugin cannot set a password on the server it
// runs in; it must say so at start (OpenCode's log, orchestrator_output) and in orchestrator_status.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({ name: "host-password", profiles: [] });
});

afterAll(async () => {
  await rt?.stop();
});

describe("a host server without a password", () => {
  it("answers any local process without credentials (the exposure the warning is about)", async () => {
    const res = await fetch(`${rt.opencode.url}/session`, {
      headers: { "x-opencode-directory": encodeURIComponent(rt.project) },
    });
    expect(res.status).toBe(200);
  });

  it("orchestrator_status reports it, with how to set OPENCODE_SERVER_PASSWORD (json and text)", async () => {
    const json = JSON.parse(await rt.hostCalls("orchestrator_status", { format: "json" })) as {
      hostServer: { url: string; auth: string; detail: string; fix?: string };
    };
    expect(json.hostServer).toMatchObject({ url: rt.opencode.url, auth: "none" });
    expect(json.hostServer.detail).toContain("without credentials");
    expect(json.hostServer.fix).toContain("OPENCODE_SERVER_PASSWORD");
    const text = await rt.hostCalls("orchestrator_status", {});
    expect(text).toContain("Host server: NO PASSWORD");
    expect(text).toContain("fix: Set OPENCODE_SERVER_PASSWORD");
  });

  it("the start-up warning is in orchestrator_output and in OpenCode's log", async () => {
    const output = JSON.parse(await rt.hostCalls("orchestrator_output", { format: "json" })) as {
      kind: string;
      message: string;
    }[];
    const warning = output.find((e) => e.kind === "warn");
    expect(warning?.message).toContain(`The host OpenCode server at ${rt.opencode.url} has no password`);
    expect(warning?.message).toContain("OPENCODE_SERVER_PASSWORD");
    const logDir = join(rt.opencode.scratch, "data", "opencode", "log");
    const logged = readdirSync(logDir)
      .map((f) => readFileSync(join(logDir, f), "utf8"))
      .join("\n")
      .split("\n")
      .filter((l) => l.includes(`The host OpenCode server at ${rt.opencode.url} has no password`));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged[0]).toContain("level=WARN");
  });
});
