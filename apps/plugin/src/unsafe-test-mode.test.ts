import { describe, expect, it } from "vitest";
import {
  enforcementHook,
  takeUnsafeNoEnforcement,
  UNSAFE_NO_ENFORCEMENT_ENV,
  unsafeNoEnforcementWarning,
  unsafeWorkerEnv,
} from "./unsafe-test-mode.js";

describe("the unsafe test-only switch", () => {
  it("is on only for exactly `1`, and is removed from the environment when read", () => {
    for (const [value, on] of [
      ["1", true],
      ["true", false],
      ["", false],
      [undefined, false],
    ] as const) {
      const env: NodeJS.ProcessEnv = { [UNSAFE_NO_ENFORCEMENT_ENV]: value };
      expect(takeUnsafeNoEnforcement(env), String(value)).toBe(on);
      expect(UNSAFE_NO_ENFORCEMENT_ENV in env).toBe(false);
    }
  });

  it("reaches process workers only when the host had it, and says so loudly", () => {
    expect(unsafeWorkerEnv(false)).toEqual({});
    expect(unsafeWorkerEnv(true)).toEqual({ [UNSAFE_NO_ENFORCEMENT_ENV]: "1" });
    expect(unsafeNoEnforcementWarning("the host")).toMatch(/UNSAFE TEST-ONLY MODE in the host: .*OFF/);
  });

  it("keeps the enforcing hook unless switched on", async () => {
    const deny = async () => {
      throw new Error("denied");
    };
    const input = { tool: "bash", sessionID: "s", callID: "c" };
    await expect(enforcementHook(deny, false)(input, { args: {} })).rejects.toThrow("denied");
    await expect(enforcementHook(deny, true)(input, { args: {} })).resolves.toBeUndefined();
  });
});
