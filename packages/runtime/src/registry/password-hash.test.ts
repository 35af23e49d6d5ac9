import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password-hash.js";
import { RegistryEntrySchema } from "./schema.js";
import { makeEntry } from "./test-support/entries.js";

describe("hashPassword / verifyPassword", () => {
  it("hashes to sha256:<hex> and never contains the password", () => {
    const hash = hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hash).not.toContain("horse");
    expect(hashPassword("correct horse battery staple")).toBe(hash);
  });

  it("verifies the right password only", () => {
    const hash = hashPassword("p4ss");
    expect(verifyPassword("p4ss", hash)).toBe(true);
    expect(verifyPassword("p4sS", hash)).toBe(false);
    expect(verifyPassword("p4ss", "sha256:short")).toBe(false);
  });

  it("is what the registry schema accepts as passwordHash", () => {
    expect(RegistryEntrySchema.safeParse(makeEntry({ passwordHash: hashPassword("x") })).success).toBe(true);
    expect(RegistryEntrySchema.safeParse(makeEntry({ passwordHash: "x" })).success).toBe(false);
  });
});
