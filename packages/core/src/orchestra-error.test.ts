import { describe, expect, it } from "vitest";
import { OrchestraError } from "./orchestra-error.js";

class DemoError extends OrchestraError<"DEMO_FAILED" | "DEMO_SLOW"> {}

describe("OrchestraError", () => {
  it("keeps code, cause, hints and the subclass name", () => {
    const cause = new Error("root");
    const err = new DemoError("DEMO_FAILED", "it failed", { cause, hints: ["try again"] });
    expect(err.code).toBe("DEMO_FAILED");
    expect(err.cause).toBe(cause);
    expect(err.name).toBe("DemoError");
    expect(err.describe()).toBe("it failed\n  hint: try again");
  });

  it("recognises instances from another copy of the package by the shared marker", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("open-orchestra.error")]: true });
    expect(OrchestraError.isInstance(foreign)).toBe(true);
    expect(OrchestraError.isInstance(new Error("plain"))).toBe(false);
    expect(OrchestraError.isInstance(null)).toBe(false);
    expect(OrchestraError.isInstance(new DemoError("DEMO_SLOW", "slow"))).toBe(true);
  });
});
