import { describe, expect, it } from "vitest";
import {
  FULL_LEVELS,
  isAtLeastAsRestricted,
  levelRank,
  type MemoryLevels,
  mayReach,
  NO_LEVELS,
  readableSourceLevels,
} from "./provenance.js";

const READER: MemoryLevels = { filesystem: "read", execution: "none", network: "none" };
const ODD: MemoryLevels = { filesystem: "full", execution: "none", network: "full" };
const OTHER: MemoryLevels = { filesystem: "read", execution: "full", network: "none" };

describe("the order on permission levels", () => {
  it("ranks each category from none up", () => {
    expect(["none", "read", "full"].map((l) => levelRank("filesystem", l as "read"))).toEqual([0, 1, 2]);
    expect(["none", "sandboxed", "full"].map((l) => levelRank("execution", l as "full"))).toEqual([0, 1, 2]);
    expect(["none", "localhost", "full"].map((l) => levelRank("network", l as "full"))).toEqual([0, 1, 2]);
  });

  it("is a partial order: reflexive, none below all, full above all, some pairs incomparable", () => {
    for (const l of [READER, ODD, OTHER, FULL_LEVELS, NO_LEVELS]) {
      expect(isAtLeastAsRestricted(l, l)).toBe(true);
      expect(isAtLeastAsRestricted(NO_LEVELS, l)).toBe(true);
      expect(isAtLeastAsRestricted(l, FULL_LEVELS)).toBe(true);
    }
    expect(isAtLeastAsRestricted(READER, ODD)).toBe(true);
    expect(isAtLeastAsRestricted(ODD, READER)).toBe(false);
    expect(isAtLeastAsRestricted(ODD, OTHER)).toBe(false);
    expect(isAtLeastAsRestricted(OTHER, ODD)).toBe(false);
  });

  it("lets a memory reach only readers at least as restricted as its source; unknown sources rank lowest", () => {
    expect(mayReach(READER, FULL_LEVELS)).toBe(false);
    expect(mayReach(READER, READER)).toBe(true);
    expect(mayReach(FULL_LEVELS, READER)).toBe(true);
    expect(mayReach(ODD, OTHER)).toBe(false);
    expect(mayReach(undefined, READER)).toBe(false);
    expect(mayReach(undefined, NO_LEVELS)).toBe(true);
  });

  it("lists, per category, the source levels a reader may read (undefined: any, unknown too)", () => {
    expect(readableSourceLevels(READER)).toEqual({
      filesystem: ["read", "full"],
      execution: undefined,
      network: undefined,
    });
    expect(readableSourceLevels(FULL_LEVELS)).toEqual({
      filesystem: ["full"],
      execution: ["full"],
      network: ["full"],
    });
  });
});
