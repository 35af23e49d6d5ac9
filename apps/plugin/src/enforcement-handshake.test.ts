import { ENFORCEMENT_KEY_ENV, ENFORCEMENT_TOOL, enforcementProof } from "@orchestra/runtime";
import { describe, expect, it } from "vitest";
import { workerEnforcement } from "./enforcement.js";
import { enforcementHandshake } from "./enforcement-handshake.js";

const options = { directory: "/proj", reservedPorts: () => [], log: () => undefined };

describe("enforcementHandshake", () => {
  it("takes the key out of the environment and proves the worker and profile it enforces", async () => {
    const env: NodeJS.ProcessEnv = {
      [ENFORCEMENT_KEY_ENV]: "k".repeat(43),
      ORCHESTRA_WORKER_ID: "coder-2",
      ORCHESTRA_WORKER_PROFILE: "coder",
    };
    const enforcement = workerEnforcement(new Error("no config in this test"), env, options);
    const hooks = enforcementHandshake(env, enforcement);
    expect(env[ENFORCEMENT_KEY_ENV]).toBeUndefined();
    expect(Object.keys(hooks.tool ?? {})).toEqual([ENFORCEMENT_TOOL]);
    const output = { description: "", parameters: {} };
    await hooks["tool.definition"]?.({ toolID: ENFORCEMENT_TOOL }, output);
    expect(output.description).toContain(
      `proof: ${enforcementProof("k".repeat(43), { id: "coder-2", profile: "coder" })}`,
    );
    expect(output.description).not.toContain("k".repeat(43));
  });

  it("leaves other tools' descriptions alone", async () => {
    const env: NodeJS.ProcessEnv = { [ENFORCEMENT_KEY_ENV]: "key", ORCHESTRA_WORKER_PROFILE: "coder" };
    const hooks = enforcementHandshake(env, workerEnforcement(new Error("x"), env, options));
    const output = { description: "Run a command.", parameters: {} };
    await hooks["tool.definition"]?.({ toolID: "bash" }, output);
    expect(output.description).toBe("Run a command.");
  });

  it("answers nothing without a key (a worker started without the handshake)", () => {
    const env: NodeJS.ProcessEnv = { ORCHESTRA_WORKER_PROFILE: "coder" };
    expect(enforcementHandshake(env, workerEnforcement(new Error("x"), env, options))).toEqual({});
  });
});
