import { OrchestraError } from "@orchestra/core";
import { describe, expect, it } from "vitest";
import { RegistryError } from "../registry/errors.js";
import { RuntimeError } from "../runtime-error.js";
import { LifecycleError } from "./lifecycle-error.js";

describe("runtime error identities", () => {
  it("does not take a registry error for a lifecycle error (onWorkerReady keeps the worker on registry faults)", () => {
    const registryError = new RegistryError("REGISTRY_LOCK_TIMEOUT", "lock not taken within 5000 ms");
    expect(LifecycleError.isInstance(registryError)).toBe(false);
    expect(RuntimeError.isInstance(registryError)).toBe(false);
    expect(RegistryError.isInstance(registryError)).toBe(true);
    expect(OrchestraError.isInstance(registryError)).toBe(true);
  });

  it("knows each of its own errors", () => {
    const lifecycle = new LifecycleError("LIFECYCLE_ID_TAKEN", "id taken");
    expect(LifecycleError.isInstance(lifecycle)).toBe(true);
    expect(RegistryError.isInstance(lifecycle)).toBe(false);
    expect(RuntimeError.isInstance(new RuntimeError("WORKER_EXITED", "exited"))).toBe(true);
  });
});
