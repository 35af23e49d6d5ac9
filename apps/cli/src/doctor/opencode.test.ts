import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkOpencode, SUPPORTED_OPENCODE, versionSupport } from "./opencode.js";

const scratch = mkdtempSync(join(tmpdir(), "doctor-opencode-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A real executable that prints `version` for `--version`, as opencode does. */
function fakeOpencode(version: string): string {
  const file = join(scratch, `opencode-${version}`);
  writeFileSync(file, `#!/bin/sh\necho ${version}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe("SUPPORTED_OPENCODE", () => {
  it("is the major.minor line of the plugin's @opencode-ai/plugin peer range, tested with the catalog's opencode-ai", () => {
    expect(SUPPORTED_OPENCODE).toEqual({ tested: "1.18.33", line: "1.18" });
    const catalog = readFileSync(
      join(import.meta.dirname, "..", "..", "..", "..", "pnpm-workspace.yaml"),
      "utf8",
    );
    expect(catalog).toMatch(
      new RegExp(`^\\s+opencode-ai: ${SUPPORTED_OPENCODE.tested.replaceAll(".", "\\.")}$`, "m"),
    );
  });

  it("supports the 1.18 line only", () => {
    expect(versionSupport("1.18.33")).toBe("pass");
    expect(versionSupport("1.18.40")).toBe("pass");
    expect(versionSupport("v1.18.2")).toBe("pass");
    expect(versionSupport("1.17.9")).toBe("fail");
    expect(versionSupport("1.19.0")).toBe("fail");
    expect(versionSupport("2.18.0")).toBe("fail");
  });
});

describe("checkOpencode", () => {
  it("passes for the opencode-ai package this repository pins, naming the binary and version", () => {
    const { result, version } = checkOpencode({ env: { PATH: "" }, projectDir: import.meta.dirname });
    expect(result.status).toBe("pass");
    expect(result.message).toMatch(/^OpenCode 1\.18\.33 at \/.*opencode.* \(supported: OpenCode 1\.18\.x/);
    expect(version).toBe("1.18.33");
  });

  it("fails for an unsupported version, with how to install the tested one", () => {
    const binary = fakeOpencode("1.2.3");
    const { result } = checkOpencode({ env: { ORCHESTRA_OPENCODE_BIN: binary }, projectDir: scratch });
    expect(result).toMatchObject({ id: "opencode", status: "fail" });
    expect(result.message).toBe(
      `OpenCode 1.2.3 at ${binary} is not supported (supported: OpenCode 1.18.x, tested with 1.18.33)`,
    );
    expect(result.hint).toContain("npm i -g opencode-ai@1.18.33");
  });

  it("fails when no binary is found, with the resolver's hint", () => {
    const { result, version } = checkOpencode({
      env: { ORCHESTRA_OPENCODE_BIN: join(scratch, "nowhere") },
      projectDir: scratch,
    });
    expect(result.status).toBe("fail");
    expect(result.message).toContain(join(scratch, "nowhere"));
    expect(result.hint).toContain("ORCHESTRA_OPENCODE_BIN");
    expect(version).toBeUndefined();
  });
});
