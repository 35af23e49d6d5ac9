import { describe, expect, it } from "vitest";
import {
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  newEnforcementKey,
  opencodeLogDir,
  proofDescription,
} from "./enforcement-handshake.js";

describe("enforcement proof", () => {
  const key = newEnforcementKey();
  const worker = { id: "coder", profile: "coder" };

  it("is a 64-hex HMAC that depends on the key, the worker id and the profile", () => {
    const proof = enforcementProof(key, worker);
    expect(proof).toMatch(/^[0-9a-f]{64}$/);
    expect(enforcementProof(key, worker)).toBe(proof);
    expect(enforcementProof(newEnforcementKey(), worker)).not.toBe(proof);
    expect(enforcementProof(key, { ...worker, id: "coder-2" })).not.toBe(proof);
    expect(enforcementProof(key, { ...worker, profile: "reviewer" })).not.toBe(proof);
  });

  it("never contains the key, and each worker start gets a fresh key", () => {
    expect(proofDescription(enforcementProof(key, worker))).not.toContain(key);
    expect(newEnforcementKey()).not.toBe(key);
  });

  it("is carried after the tool's fixed description", () => {
    const text = proofDescription("ab".repeat(32));
    expect(text.startsWith(ENFORCEMENT_TOOL_DESCRIPTION)).toBe(true);
    expect(text).toContain(`proof: ${"ab".repeat(32)}`);
  });
});

describe("opencodeLogDir", () => {
  it("follows XDG_DATA_HOME, else ~/.local/share", () => {
    expect(opencodeLogDir({ XDG_DATA_HOME: "/x/data", HOME: "/h" })).toBe("/x/data/opencode/log");
    expect(opencodeLogDir({ HOME: "/h" })).toBe("/h/.local/share/opencode/log");
  });
});
