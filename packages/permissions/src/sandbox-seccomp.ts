import { PermissionsError } from "./errors.js";

/*
 * The seccomp filter the sandbox installs (bwrap `--seccomp FD`; bwrap sets `no_new_privs` first).
 *
 * Why: the sandbox mounts the project writable, while OpenCode's `write`/`read`/`edit` tools open
 * paths later, in the unsandboxed OpenCode server, following symlinks. A sandboxed script that
 * keeps swapping a project path between "missing" and "symlink to `~/.config/opencode/opencode.jsonc`"
 * wins the race between the permission check (which sees an allowed new project file) and the tool's
 * open (which follows the link): a write outside every allowed path, or a read of the worker secret.
 * A process in the sandbox therefore may not create symlinks at all: `symlink`/`symlinkat` return
 * `EPERM` (this covers `ln -s`, `tar x`, `git checkout`/`git apply` of links and any script).
 * `io_uring_setup`/`io_uring_enter`/`io_uring_register` are refused too: an io_uring `SYMLINKAT`
 * request runs in the kernel without passing through seccomp. Syscalls of another ABI than the
 * native one (x32 and i386 on x86_64, arm32 on aarch64) are all refused (`EPERM`), since their numbers
 * differ. Hard links need no rule: each bwrap bind mount is its own mount, and `link()` across mounts
 * fails with `EXDEV`, so only files of the project's own mount can be linked into it.
 */

/** `offsetof(struct seccomp_data, nr)` and `offsetof(struct seccomp_data, arch)`. */
const NR = 0;
const ARCH = 4;
/** Classic BPF opcodes: `BPF_LD|BPF_W|BPF_ABS`, `BPF_JMP|BPF_JEQ|BPF_K`, `BPF_JMP|BPF_JGE|BPF_K`, `BPF_RET|BPF_K`. */
const LD_ABS = 0x20;
const JEQ = 0x15;
const JGE = 0x35;
const RET = 0x06;
const SECCOMP_RET_ALLOW = 0x7fff0000;
/** `SECCOMP_RET_ERRNO | EPERM`. */
const RET_EPERM = 0x00050000 | 1;
/** The x32 ABI marks its syscall numbers with this bit (`__X32_SYSCALL_BIT`). */
const X32_BIT = 0x40000000;

interface ArchRules {
  /** `AUDIT_ARCH_*` of the native ABI. */
  readonly audit: number;
  /** Syscall numbers refused with EPERM. */
  readonly denied: readonly number[];
  /** Refuse every syscall number at or above this one (the x32 range on x86_64). */
  readonly deniedFrom?: number;
}

/** The rules per Node `process.arch`. The io_uring numbers (425–427) are the same on both. */
const ARCHES: Readonly<Record<string, ArchRules>> = {
  // symlink 88, symlinkat 266 (arch/x86/entry/syscalls/syscall_64.tbl).
  x64: { audit: 0xc000003e, denied: [88, 266, 425, 426, 427], deniedFrom: X32_BIT },
  // symlinkat 36 (include/uapi/asm-generic/unistd.h; aarch64 has no `symlink`).
  arm64: { audit: 0xc00000b7, denied: [36, 425, 426, 427] },
};

/** The CPU architectures (Node's `process.arch` names) the sandbox has a seccomp filter for. */
export const SECCOMP_ARCHES: readonly string[] = Object.keys(ARCHES);

function instruction(code: number, jt: number, jf: number, k: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(code, 0);
  b.writeUInt8(jt, 2);
  b.writeUInt8(jf, 3);
  b.writeUInt32LE(k >>> 0, 4);
  return b;
}

/**
 * The filter for `arch` as the bytes of a `struct sock_filter[]` (`{u16 code; u8 jt; u8 jf; u32 k}`,
 * little-endian), the format bwrap's `--seccomp FD` reads:
 * the ABI check (another ABI → EPERM), then the refused numbers (→ EPERM), else allow.
 *
 * @throws {PermissionsError} `SANDBOX_UNSUPPORTED_ARCH` for an architecture without a filter (the
 * sandbox is not built without it).
 */
export function seccompFilter(arch: string = process.arch): Buffer {
  const rules = ARCHES[arch];
  if (rules === undefined)
    throw new PermissionsError(
      "SANDBOX_UNSUPPORTED_ARCH",
      `The sandbox has no seccomp filter for this CPU architecture (got ${arch}, expected one of ${SECCOMP_ARCHES.join(", ")}); without it a sandboxed command could create symlinks that OpenCode's file tools follow, so no sandboxed command runs here. Run the worker on x86_64 or aarch64 Linux, or use a profile without \`execution: sandboxed\`.`,
    );
  const tests = [
    ...(rules.deniedFrom === undefined ? [] : [{ op: JGE, k: rules.deniedFrom }]),
    ...rules.denied.map((k) => ({ op: JEQ, k })),
  ];
  // Layout after `ld nr`: the tests, `ret ALLOW`, `ret EPERM`; test i jumps over the rest and the allow.
  const checks = tests.map((t, i) => instruction(t.op, tests.length - i, 0, t.k));
  return Buffer.concat([
    instruction(LD_ABS, 0, 0, ARCH),
    instruction(JEQ, 1, 0, rules.audit),
    instruction(RET, 0, 0, RET_EPERM),
    instruction(LD_ABS, 0, 0, NR),
    ...checks,
    instruction(RET, 0, 0, SECCOMP_RET_ALLOW),
    instruction(RET, 0, 0, RET_EPERM),
  ]);
}

/** The file descriptor the sandbox launcher hands the filter to bwrap on (`--seccomp 9`). */
export const SECCOMP_FD = 9;

/** `bytes` as `\xHH` escapes, for bash's `printf %b` in the launcher (argv cannot carry NUL bytes). */
export function printfEscapes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");
}
