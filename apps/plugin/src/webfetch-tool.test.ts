import { createProfileRegistry, profilesFromConfig } from "@orchestra/profiles";
import { describe, expect, it } from "vitest";
import { policyFor } from "./enforcement.js";
import { hopRule, workerWebfetchTools } from "./webfetch-tool.js";

const registry = createProfileRegistry({
  sources: [
    profilesFromConfig([
      { id: "local", permissions: { categories: { network: "localhost" } } },
      { id: "offline", permissions: { categories: { network: "none" } } },
      { id: "open", permissions: { categories: { network: "full" } } },
      { id: "broken", extends: "missing-parent" },
    ]),
  ],
});
const ports = () => [4096];
const enforcement = (profile: string) => ({
  policy: policyFor(registry, "w1", profile),
  enforcer: { context: () => ({ reservedLocalPorts: [4096] }) },
});

describe("which sessions get redirects checked", () => {
  it("network: localhost and none are checked hop by hop, for the worker by name", () => {
    expect(hopRule(policyFor(registry, "w1", "local"), ports)).toMatchObject({
      level: "localhost",
      worker: "w1",
    });
    expect(hopRule(policyFor(registry, "w1", "offline"), ports)).toMatchObject({ level: "none" });
  });

  it("network: full and sessions that are no worker's follow redirects as the built-in does", () => {
    expect(hopRule(policyFor(registry, "w1", "open"), ports)).toBeUndefined();
    expect(hopRule(undefined, ports)).toBeUndefined();
  });

  it("a process worker replaces the built-in unless its profile is network: full", () => {
    expect(Object.keys(workerWebfetchTools(enforcement("local")))).toEqual(["webfetch"]);
    expect(Object.keys(workerWebfetchTools(enforcement("offline")))).toEqual(["webfetch"]);
    expect(Object.keys(workerWebfetchTools(enforcement("broken")))).toEqual(["webfetch"]);
    expect(workerWebfetchTools(enforcement("open"))).toEqual({});
  });
});
