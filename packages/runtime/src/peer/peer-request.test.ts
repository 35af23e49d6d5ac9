import { describe, expect, it } from "vitest";
import { PeerError } from "./peer-error.js";
import { MAX_PEER_MESSAGE, parsePeerRequest } from "./peer-request.js";

function invalid(value: unknown): PeerError {
  try {
    parsePeerRequest(value);
  } catch (error) {
    if (PeerError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a PeerError");
}

describe("parsePeerRequest", () => {
  it("accepts a worker or a profile with a message", () => {
    expect(parsePeerRequest({ worker: "docs", message: "hi" })).toEqual({ worker: "docs", message: "hi" });
    expect(parsePeerRequest({ profile: "docs", message: "hi" })).toEqual({ profile: "docs", message: "hi" });
  });

  it("refuses a forged depth, chain or asker: the orchestrator tracks those itself", () => {
    const error = invalid({ worker: "docs", message: "hi", depth: 0, chain: [], from: "other" });
    expect(error.code).toBe("JOB_PEER_INVALID");
    expect(error.message).toContain("unknown field(s) `depth`, `chain`, `from`");
  });

  it("refuses a request without a target, an empty message and an oversized one", () => {
    expect(invalid({ message: "hi" }).message).toContain("names no peer");
    expect(invalid({ worker: "docs", message: "" }).message).toContain("`message`");
    expect(invalid({ worker: "docs", message: "x".repeat(MAX_PEER_MESSAGE + 1) }).code).toBe(
      "JOB_PEER_INVALID",
    );
    expect(invalid("not an object").code).toBe("JOB_PEER_INVALID");
  });
});
