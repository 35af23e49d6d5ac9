import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultSecretFile, deriveWorkerPassword, loadWorkerSecret } from "./worker-secret.js";

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the per-user worker secret", () => {
  it("is created once, 0600 in a 0700 directory, and concurrent loaders agree on it", async () => {
    root = mkdtempSync(join(tmpdir(), "orchestra-secret-"));
    const file = join(root, "nested", "worker-secret");
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadWorkerSecret(file)));
    expect(new Set(secrets.map((s) => s.toString("hex"))).size).toBe(1);
    expect(secrets[0]?.length).toBe(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, "nested")).mode & 0o777).toBe(0o700);
    expect((await loadWorkerSecret(file)).equals(secrets[0] as Buffer)).toBe(true);
  });

  it("refuses a secret readable by others, and a malformed one, saying what to do", async () => {
    root = mkdtempSync(join(tmpdir(), "orchestra-secret-"));
    const file = join(root, "worker-secret");
    await loadWorkerSecret(file);
    chmodSync(file, 0o644);
    await expect(loadWorkerSecret(file)).rejects.toMatchObject({
      code: "LIFECYCLE_SECRET_INSECURE",
      hints: [`run: chmod 600 ${file}`],
    });
    writeFileSync(file, "short\n", { mode: 0o600 });
    chmodSync(file, 0o600);
    await expect(loadWorkerSecret(file)).rejects.toMatchObject({ code: "LIFECYCLE_SECRET_INSECURE" });
  });

  it("derives a stable password per worker id and creation time", () => {
    const secret = Buffer.alloc(32, 7);
    const a = deriveWorkerPassword(secret, "coder", 1000);
    expect(deriveWorkerPassword(secret, "coder", 1000)).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deriveWorkerPassword(secret, "coder", 1001)).not.toBe(a);
    expect(deriveWorkerPassword(secret, "coder-2", 1000)).not.toBe(a);
    expect(deriveWorkerPassword(Buffer.alloc(32, 8), "coder", 1000)).not.toBe(a);
  });

  it("lives beside the device registry by default", () => {
    expect(defaultSecretFile({ XDG_DATA_HOME: "/data" })).toBe("/data/opencode/orchestra/worker-secret");
  });
});
