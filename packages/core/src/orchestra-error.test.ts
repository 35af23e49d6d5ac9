import { describe, expect, it } from "vitest";
import { errorMarker, OrchestraError } from "./orchestra-error.js";

class DemoError extends OrchestraError<"DEMO_FAILED" | "DEMO_SLOW"> {
  static override readonly marker = errorMarker("DemoError");
  static override isInstance(value: unknown): value is DemoError {
    return OrchestraError.hasMarker(value, DemoError.marker);
  }
}

class SlowDemoError extends DemoError {
  static override readonly marker = errorMarker("SlowDemoError");
  static override isInstance(value: unknown): value is SlowDemoError {
    return OrchestraError.hasMarker(value, SlowDemoError.marker);
  }
}

class OtherError extends OrchestraError<"OTHER_BROKEN"> {
  static override readonly marker = errorMarker("OtherError");
  static override isInstance(value: unknown): value is OtherError {
    return OrchestraError.hasMarker(value, OtherError.marker);
  }
}

/** Two subclasses written as before per-class markers: nothing but `extends`. */
class BareLifecycleError extends OrchestraError<"LIFECYCLE_X"> {}
class BareRegistryError extends OrchestraError<"REGISTRY_X"> {}

/** A second copy of this module, as when the plugin host and a user each load the package. */
async function secondCopy(): Promise<typeof import("./orchestra-error.js")> {
  const specifier: string = "./orchestra-error.js?second-copy";
  return (await import(/* @vite-ignore */ specifier)) as typeof import("./orchestra-error.js");
}

describe("OrchestraError", () => {
  it("keeps code, cause, hints and the subclass name", () => {
    const cause = new Error("root");
    const err = new DemoError("DEMO_FAILED", "it failed", { cause, hints: ["try again"] });
    expect(err.code).toBe("DEMO_FAILED");
    expect(err.cause).toBe(cause);
    expect(err.name).toBe("DemoError");
    expect(err.describe()).toBe("it failed\n  hint: try again");
  });

  it("recognises every member of the family, and nothing else", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("open-orchestra.error")]: true });
    expect(OrchestraError.isInstance(foreign)).toBe(true);
    expect(OrchestraError.isInstance(new Error("plain"))).toBe(false);
    expect(OrchestraError.isInstance(null)).toBe(false);
    expect(OrchestraError.isInstance("DEMO_FAILED")).toBe(false);
    expect(OrchestraError.isInstance(new DemoError("DEMO_SLOW", "slow"))).toBe(true);
    expect(OrchestraError.isInstance(new SlowDemoError("DEMO_SLOW", "slow"))).toBe(true);
    expect(OrchestraError.isInstance(new OtherError("OTHER_BROKEN", "broken"))).toBe(true);
    expect(OrchestraError.isInstance(new BareRegistryError("REGISTRY_X", "x"))).toBe(true);
  });

  it("gives each class its own identity: a sibling is not an instance, a subclass is", () => {
    const demo = new DemoError("DEMO_FAILED", "x");
    const slow = new SlowDemoError("DEMO_SLOW", "x");
    const other = new OtherError("OTHER_BROKEN", "x");
    expect(DemoError.isInstance(other)).toBe(false);
    expect(OtherError.isInstance(demo)).toBe(false);
    expect(DemoError.isInstance(demo)).toBe(true);
    expect(DemoError.isInstance(slow)).toBe(true);
    expect(SlowDemoError.isInstance(slow)).toBe(true);
    expect(SlowDemoError.isInstance(demo)).toBe(false);
    expect(DemoError.isInstance(new Error("plain"))).toBe(false);
  });

  it("does not let a subclass without its own marker answer for the whole family", () => {
    // The bug this guards: LifecycleError.isInstance(registryError) was true (isInstance was inherited).
    expect(BareLifecycleError.isInstance(new BareRegistryError("REGISTRY_X", "lock timeout"))).toBe(false);
    expect(BareLifecycleError.isInstance(new DemoError("DEMO_FAILED", "x"))).toBe(false);
    expect(BareLifecycleError.isInstance(new BareLifecycleError("LIFECYCLE_X", "x"))).toBe(true);
  });

  it("keeps identity across two copies of the package, where instanceof fails", async () => {
    const copy = await secondCopy();
    expect(copy.OrchestraError).not.toBe(OrchestraError);
    class CopiedDemoError extends copy.OrchestraError<"DEMO_FAILED"> {
      static override readonly marker = copy.errorMarker("DemoError");
      static override isInstance(value: unknown): value is CopiedDemoError {
        return copy.OrchestraError.hasMarker(value, CopiedDemoError.marker);
      }
    }
    const fromCopy = new CopiedDemoError("DEMO_FAILED", "x");
    expect(fromCopy instanceof DemoError).toBe(false);
    expect(DemoError.isInstance(fromCopy)).toBe(true);
    expect(CopiedDemoError.isInstance(new DemoError("DEMO_FAILED", "x"))).toBe(true);
    expect(OrchestraError.isInstance(fromCopy)).toBe(true);
    expect(copy.OrchestraError.isInstance(new OtherError("OTHER_BROKEN", "x"))).toBe(true);
    expect(OtherError.isInstance(fromCopy)).toBe(false);
    expect(CopiedDemoError.isInstance(new OtherError("OTHER_BROKEN", "x"))).toBe(false);
  });

  it("works detached, as a callback", () => {
    const errors: unknown[] = [new DemoError("DEMO_FAILED", "x"), new OtherError("OTHER_BROKEN", "y"), 1];
    expect(errors.filter(DemoError.isInstance)).toHaveLength(1);
    expect(errors.filter(OrchestraError.isInstance)).toHaveLength(2);
  });

  it("stamps markers that a spread or JSON copy does not carry", () => {
    const err = new DemoError("DEMO_FAILED", "x");
    expect(OrchestraError.isInstance({ ...err })).toBe(false);
    expect(DemoError.isInstance({ ...err })).toBe(false);
    expect(Object.getOwnPropertySymbols(err)).toEqual(
      expect.arrayContaining([
        Symbol.for("open-orchestra.error"),
        Symbol.for("open-orchestra.error.DemoError"),
      ]),
    );
  });

  it("names markers open-orchestra.error.<ClassName>, the same symbol in every copy", () => {
    expect(errorMarker("LifecycleError")).toBe(Symbol.for("open-orchestra.error.LifecycleError"));
    expect(OrchestraError.marker).toBe(Symbol.for("open-orchestra.error"));
  });
});
