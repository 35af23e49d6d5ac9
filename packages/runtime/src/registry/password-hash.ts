import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The hash stored in a registry entry's `passwordHash`: `sha256:<hex>` of the worker's server
 * password. Worker passwords are random (high entropy), so a plain SHA-256 is enough to keep the
 * password itself out of the shared registry file; it is not meant for human-chosen passwords.
 *
 * @example hashPassword("s3cret") // "sha256:…64 hex digits"
 */
export function hashPassword(password: string): string {
  return `sha256:${createHash("sha256").update(password, "utf8").digest("hex")}`;
}

/** True when `password` hashes to `passwordHash` (compared in constant time). */
export function verifyPassword(password: string, passwordHash: string): boolean {
  const expected = Buffer.from(hashPassword(password), "utf8");
  const actual = Buffer.from(passwordHash, "utf8");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
