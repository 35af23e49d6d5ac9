import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PermissionsError } from "./errors.js";
import { sandboxArgv } from "./sandbox.js";
import { printfEscapes, SECCOMP_ARCHES, seccompFilter } from "./sandbox-seccomp.js";
import type { Permissions } from "./schema.js";

/** One instruction as `code jt jf k` (hex code and k), decoded from the little-endian bytes. */
function decode(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 8)
    out.push(
      `${bytes.readUInt16LE(i).toString(16)} ${bytes.readUInt8(i + 2)} ${bytes.readUInt8(i + 3)} ${bytes.readUInt32LE(i + 4).toString(16)}`,
    );
  return out;
}

describe("seccompFilter", () => {
  it("x86_64: checks AUDIT_ARCH_X86_64, refuses the x32 range, symlink, symlinkat and io_uring with EPERM", () => {
    expect(decode(seccompFilter("x64"))).toEqual([
      "20 0 0 4", // ld arch
      "15 1 0 c000003e", // arch == AUDIT_ARCH_X86_64 ? skip : next
      "6 0 0 50001", // another ABI: EPERM
      "20 0 0 0", // ld nr
      "35 6 0 40000000", // x32 syscall → EPERM
      "15 5 0 58", // symlink (88)
      "15 4 0 10a", // symlinkat (266)
      "15 3 0 1a9", // io_uring_setup (425)
      "15 2 0 1aa", // io_uring_enter (426)
      "15 1 0 1ab", // io_uring_register (427)
      "6 0 0 7fff0000", // allow
      "6 0 0 50001", // EPERM
    ]);
  });

  it("aarch64: checks AUDIT_ARCH_AARCH64, refuses symlinkat (36) and io_uring", () => {
    expect(decode(seccompFilter("arm64"))).toEqual([
      "20 0 0 4",
      "15 1 0 c00000b7",
      "6 0 0 50001",
      "20 0 0 0",
      "15 4 0 24",
      "15 3 0 1a9",
      "15 2 0 1aa",
      "15 1 0 1ab",
      "6 0 0 7fff0000",
      "6 0 0 50001",
    ]);
    expect(SECCOMP_ARCHES).toEqual(["x64", "arm64"]);
  });

  it("fails closed with SANDBOX_UNSUPPORTED_ARCH on any other architecture, and so does sandboxArgv", () => {
    let error: unknown;
    try {
      seccompFilter("riscv64");
    } catch (e) {
      error = e;
    }
    expect(PermissionsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "SANDBOX_UNSUPPORTED_ARCH" });
    expect((error as Error).message).toContain("got riscv64, expected one of x64, arm64");
  });

  it("printfEscapes survives bash's printf %b byte for byte (NUL bytes included)", () => {
    const filter = seccompFilter("x64");
    const out = spawnSync("/bin/bash", ["-c", 'printf %b "$1"', "x", printfEscapes(filter)]);
    expect(Buffer.compare(out.stdout, filter)).toBe(0);
  });
});

const full: Permissions = { categories: { filesystem: "full", execution: "sandboxed", network: "none" } };
const readOnly: Permissions = { categories: { filesystem: "read", execution: "sandboxed", network: "none" } };

describe.runIf(SECCOMP_ARCHES.includes(process.arch) && process.platform === "linux")(
  "the filter in a real sandbox",
  () => {
    let root = "";
    let project = "";
    let outside = "";
    beforeAll(() => {
      // Not under /tmp: the sandbox mounts a private /tmp.
      root = mkdtempSync(join(existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), "orchestra-seccomp-"));
      project = join(root, "project");
      outside = join(root, "outside");
      mkdirSync(project);
      mkdirSync(outside);
      writeFileSync(join(project, "README.md"), "readme\n");
      writeFileSync(join(outside, "target.txt"), "OUTSIDE\n");
      spawnSync("git", ["init", "-q", project]);
      spawnSync("git", ["-C", project, "add", "README.md"]);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const run = (p: Permissions, command: string) => {
      const [file = "", ...args] = sandboxArgv(p, command, {
        cwd: project,
        home: join(root, "home"),
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      });
      const r = spawnSync(file, args, { encoding: "utf8", timeout: 30_000 });
      return `${r.stdout}${r.stderr}exit ${r.status}`;
    };
    const exists = (path: string) => {
      try {
        lstatSync(path);
        return true;
      } catch {
        return false;
      }
    };

    it("`ln -s` and Node's symlinkSync fail with EPERM and create nothing", () => {
      const target = join(outside, "target.txt");
      const out = run(
        full,
        `ln -s ${target} link1; node -e 'try { require("fs").symlinkSync(process.argv[1], "link2"); console.log("NODE-OK") } catch (e) { console.log("NODE-" + e.code) }' ${target}`,
      );
      expect(out).toContain("ln: failed to create symbolic link 'link1': Operation not permitted");
      expect(out).toContain("NODE-EPERM");
      expect(exists(join(project, "link1"))).toBe(false);
      expect(exists(join(project, "link2"))).toBe(false);
    });

    it("ordinary file operations and git work; the filter's fd does not reach the command", () => {
      const out = run(
        full,
        "mkdir -p d && echo hi > d/a.txt && cp d/a.txt d/b.txt && mv d/b.txt d/c.txt && rm d/a.txt && ln d/c.txt d/hard.txt && git status --short && ls /proc/self/fd",
      );
      expect(out).toContain("?? d/");
      expect(out).toContain("exit 0");
      expect(readFileSync(join(project, "d", "c.txt"), "utf8")).toBe("hi\n");
      expect(out).not.toMatch(/^9$/m);
    });

    it("a hard link from another mount into the project fails with EXDEV (bind mounts are separate mounts)", () => {
      const out = run(full, "ln /etc/hostname stolen; ln /bin/sh sh-link; echo rc=$?");
      expect(out).toContain("Invalid cross-device link");
      expect(exists(join(project, "stolen"))).toBe(false);
      expect(exists(join(project, "sh-link"))).toBe(false);
    });

    it("a read-only sandbox gets the filter too", () => {
      const out = run(readOnly, "ln -s /etc/hostname /tmp/link; cat README.md");
      expect(out).toContain("Operation not permitted");
      expect(out).toContain("readme");
    });
  },
);
