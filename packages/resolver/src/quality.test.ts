import { describe, expect, it } from "vitest";
import { mergeCapabilities } from "./capabilities.js";
import { type QualityInput, qualityOf, qualityTerms } from "./quality.js";

const caps = mergeCapabilities([
  { source: "catalog", patch: { toolCall: true, reasoning: true, contextWindow: 1_000_000 } },
]);
const q = (over: Partial<QualityInput>): number =>
  qualityOf(
    qualityTerms({
      capabilities: caps,
      size: "medium",
      releaseKey: 20260701,
      tierPrice: 3,
      unversioned: false,
      preview: false,
      ...over,
    }),
  );

describe("the quality order", () => {
  it("a tier step (twice the input price) outweighs a few months of release", () => {
    expect(q({ tierPrice: 10, releaseKey: 20260901 })).toBeGreaterThan(
      q({ tierPrice: 4, releaseKey: 20260922 }),
    );
    expect(q({ tierPrice: 2 })).toBeGreaterThan(q({ tierPrice: 1, releaseKey: 20260801 }));
  });
  it("a much newer generation beats an older, pricier one", () => {
    expect(q({ tierPrice: 10, releaseKey: 20260904 })).toBeGreaterThan(
      q({ tierPrice: 5, releaseKey: 20260423 }),
    );
  });
  it("size words break near-ties: pro > base > flash", () => {
    expect(q({ size: "large" })).toBeGreaterThan(q({}));
    expect(q({})).toBeGreaterThan(q({ size: "small" }));
  });
  it("an unknown price takes the tier from the name, one step lower", () => {
    const t = qualityTerms({
      capabilities: caps,
      size: "large",
      releaseKey: -1,
      tierPrice: null,
      unversioned: false,
      preview: false,
    });
    expect(t.tier).toBe(1.5);
    expect(t.recency).toBe(0);
  });
  it("penalises codenames and previews", () => {
    expect(q({ unversioned: true })).toBe(q({}) - 1);
    expect(q({ preview: true })).toBe(q({}) - 0.5);
  });
});
