import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  OPENCODE_BIN_ENV,
  resolveOpencode,
  resolveOpencodeBinary,
  resolvePackageDir,
} from "./opencode-binary.js";
import { errorCode } from "./test-support/children.js";

const scratch = mkdtempSync(join(tmpdir(), "orchestra-binary-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An executable shell script at `path` that prints `version` for `--version`. */
function fakeBinary(path: string, version = "9.9.9"): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("resolveOpencode", () => {
  it("finds the opencode-ai package's native binary and its version", () => {
    const found = resolveOpencode({ resolveFrom: import.meta.dirname });
    expect(found.binary).toMatch(/opencode-ai\/bin\/opencode\.exe$/);
    expect(found.version).toBe("1.18.33");
    expect(found.packageDir).toBe(resolvePackageDir("opencode-ai", import.meta.dirname));
  });

  it("prefers an explicit binary, then $ORCHESTRA_OPENCODE_BIN, and asks it for its version", () => {
    const explicit = fakeBinary(join(scratch, "explicit", "opencode"), "1.2.3");
    const fromEnv = fakeBinary(join(scratch, "env", "opencode"), "4.5.6");
    expect(resolveOpencode({ binary: explicit, env: { [OPENCODE_BIN_ENV]: fromEnv } })).toEqual({
      binary: explicit,
      version: "1.2.3",
    });
    expect(resolveOpencode({ env: { [OPENCODE_BIN_ENV]: fromEnv } }).version).toBe("4.5.6");
    expect(resolveOpencode({ binary: explicit, version: "7.0.0" }).version).toBe("7.0.0");
  });

  it("searches PATH only when asked, after the package", () => {
    const dir = join(scratch, "path-bin");
    const onPath = fakeBinary(join(dir, "opencode"));
    const nowhere = join(scratch, "nowhere");
    mkdirSync(nowhere, { recursive: true });
    expect(resolveOpencodeBinary({ resolveFrom: nowhere, env: { PATH: dir }, searchPath: true })).toBe(
      onPath,
    );
    expect(
      resolveOpencodeBinary({ resolveFrom: import.meta.dirname, env: { PATH: dir }, searchPath: true }),
    ).toMatch(/opencode\.exe$/);
  });

  it("says PROCESS_OPENCODE_NOT_FOUND, with what to do, when nothing is found", async () => {
    const nowhere = join(scratch, "nowhere");
    mkdirSync(nowhere, { recursive: true });
    expect(await errorCode(() => resolveOpencode({ binary: join(scratch, "missing") }))).toBe(
      "PROCESS_OPENCODE_NOT_FOUND",
    );
    expect(await errorCode(() => resolveOpencodeBinary({ env: { [OPENCODE_BIN_ENV]: nowhere } }))).toBe(
      "PROCESS_OPENCODE_NOT_FOUND",
    );
    const error = (() => {
      try {
        return resolveOpencodeBinary({ resolveFrom: nowhere, env: { PATH: nowhere }, searchPath: true });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: "PROCESS_OPENCODE_NOT_FOUND" });
    expect((error as { hints: string[] }).hints.join(" ")).toContain(OPENCODE_BIN_ENV);
  });
});
