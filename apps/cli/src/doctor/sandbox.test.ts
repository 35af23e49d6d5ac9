import { rmSync } from "node:fs";
import { probeBubblewrap } from "@orchestra/permissions";
import { afterAll, describe, expect, it } from "vitest";
import { checkSandbox } from "./sandbox.js";
import { readConfig, readProfiles } from "./setup.js";
import { tempSetup } from "./test-setup.js";

const setup = tempSetup("sandbox");
afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

async function registryWith(config: unknown) {
  const s = tempSetup("sandbox-cfg");
  s.write("project/orchestrator.json", JSON.stringify(config));
  const loaded = await readConfig(s);
  const registry = await readProfiles(s, loaded);
  rmSync(s.root, { recursive: true, force: true });
  return registry;
}

describe("checkSandbox", () => {
  it("passes without bubblewrap when no enabled profile is sandboxed", async () => {
    const registry = await registryWith({ profiles: ["docs"] });
    const result = checkSandbox(registry, { PATH: "/nonexistent" });
    expect(result).toMatchObject({ id: "sandbox", status: "pass" });
    expect(result.message).toContain("bubblewrap is not needed");
  });

  it("fails on Linux when bwrap is not on PATH and a profile is sandboxed, naming the profiles", async () => {
    const registry = await readProfiles(setup, await readConfig(setup));
    const result = checkSandbox(registry, { PATH: "/nonexistent" }, "linux");
    expect(result.status).toBe("fail");
    expect(result.message).toContain("bubblewrap (`bwrap`) is not installed or not on PATH");
    expect(result.message).toContain("(coder, architect, explorer) have every shell call refused");
    expect(result.hint).toContain("apt-get install bubblewrap");
  });

  it("on macOS, warns what happens instead: shell calls refused, never run unsandboxed", async () => {
    const registry = await readProfiles(setup, await readConfig(setup));
    const result = checkSandbox(registry, setup.env, "darwin");
    expect(result.status).toBe("warn");
    expect(result.message).toMatch(
      /^bubblewrap needs Linux \(this is darwin\): .* every shell call refused, never run unsandboxed/,
    );
  });

  it("agrees with the plugin's own probe on this machine", async () => {
    const registry = await readProfiles(setup, await readConfig(setup));
    const result = checkSandbox(registry, setup.env);
    expect(result.status).toBe(
      probeBubblewrap(setup.env).ok ? "pass" : process.platform === "linux" ? "fail" : "warn",
    );
  });
});
