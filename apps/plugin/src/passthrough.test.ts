import { describe, expect, it } from "vitest";
import { newPartId, PassthroughRoutes, relayText } from "./passthrough.js";

describe("PassthroughRoutes", () => {
  it("routes per session, and set/clear return the route they replaced", () => {
    const routes = new PassthroughRoutes();
    expect(routes.set("ses_a", "docs")).toBeUndefined();
    expect(routes.set("ses_a", "coder", 5000)?.workerId).toBe("docs");
    expect(routes.get("ses_a")).toMatchObject({ workerId: "coder", timeoutMs: 5000 });
    expect(routes.get("ses_b")).toBeUndefined();
    expect(routes.clear("ses_a")?.workerId).toBe("coder");
    expect(routes.clear("ses_a")).toBeUndefined();
  });
});

describe("newPartId", () => {
  it("has OpenCode's part id shape and sorts after ids made earlier", () => {
    const earlier = newPartId(1_700_000_000_000);
    const later = newPartId(1_700_000_000_001);
    expect(later).toMatch(/^prt_[0-9a-f]{12}[0-9A-Za-z]{14}$/);
    expect(later > earlier).toBe(true);
    // Same millisecond: the counter keeps them ordered.
    const a = newPartId(1_700_000_000_002);
    const b = newPartId(1_700_000_000_002);
    expect(b > a).toBe(true);
  });
});

describe("relayText", () => {
  it("carries the answer, names the worker and says how to leave passthrough", () => {
    const text = relayText("docs", "use fetch()");
    expect(text).toContain("sent to worker docs");
    expect(text).toContain("\nuse fetch()\n");
    expect(text).toContain("call clear_passthrough");
    expect(relayText("docs", "")).toContain("(the worker answered with no text)");
  });
});
