import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { posix } from "node:path";
import picomatch from "picomatch";
import { quote } from "shell-quote";
import { PermissionsError } from "./errors.js";
import { compilePolicy } from "./policy.js";

/**
 * The words every sandboxed command starts with. `toOpencodePermission` allows exactly this prefix
 * for sandboxed profiles, so OpenCode's own `permission` check (which sees the rewritten command)
 * lets the wrapper through while still denying raw commands outside the profile.
 */
export const SANDBOX_PREFIX = "bwrap --setenv ORCHESTRA_SANDBOX 1";

/** Files and directories of the project that stay read-only inside the sandbox (when they exist). */
export const SANDBOX_READ_ONLY = [
  ".opencode",
  "opencode.json",
  "opencode.jsonc",
  ".git/hooks",
  ".git/config",
  ".npmrc",
  "bunfig.toml",
] as const;

/** Variables removed inside the sandbox: they would let a command drive its own OpenCode server. */
const SECRET_ENV = ["OPENCODE_SERVER_PASSWORD", "OPENCODE_SERVER_USERNAME", "OPENCODE_CONFIG_CONTENT"];

/** Options of {@link sandboxArgv} and {@link sandboxCommand}. */
export interface SandboxOptions {
  /** The project root (absolute). Writable when `filesystem` is `full`, read-only otherwise. */
  cwd: string;
  /** The home directory (absolute), for `~` in `paths.denied`. */
  home: string;
  /** Where the command starts (absolute; default `cwd`). */
  workdir?: string;
  /** The shell run inside the sandbox (default `/bin/bash`). */
  shell?: string;
  /** What a path is on disk, for hiding denied paths (default: `statSync`). */
  kind?: (path: string) => "dir" | "file" | undefined;
}

function diskKind(path: string): "dir" | "file" | undefined {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return undefined;
  return s.isDirectory() ? "dir" : "file";
}

/** A denied glob that names a whole file or directory tree (`~/.ssh/**`, `secrets`), as an absolute path. */
function hiddenPath(glob: string, cwd: string, home: string): string | undefined {
  let g = glob;
  if (g === "~" || g.startsWith("~/")) g = home + g.slice(1);
  if (g.startsWith("~") || g.includes("\\")) return undefined;
  const abs = g.startsWith("/") ? g : posix.join(cwd, g);
  const scan = picomatch.scan(abs);
  if (scan.glob !== "" && scan.glob !== "**" && scan.glob !== "**/*") return undefined;
  const base = posix.resolve(scan.glob === "" ? abs : scan.base);
  return base === "/" || base === cwd || cwd.startsWith(`${base}/`) ? undefined : base;
}

/**
 * The `bwrap` argv that runs `command` for a profile with `execution: sandboxed`:
 * - the whole filesystem read-only, private `/dev`, `/proc` and `/tmp`;
 * - the project writable under `filesystem: full` (read-only otherwise), with `.opencode/`,
 *   `opencode.json(c)`, `.git/hooks`, `.git/config`, `.npmrc` and `bunfig.toml` kept read-only;
 * - denied trees (`~/.ssh/**`, `secrets/**`, …) that exist are hidden behind an empty tmpfs
 *   (directories) or `/dev/null` (files);
 * - no network unless `network: full` (`localhost` gets the sandbox's own loopback only);
 * - new user/pid/ipc/uts/cgroup namespaces, a new session, killed with its parent;
 * - the worker's own server credentials removed from the environment.
 *
 * @throws {PermissionsError} `PERMISSIONS_INVALID` for invalid permissions, `SANDBOX_NOT_APPLICABLE`
 * when `execution` is not `sandboxed`.
 */
export function sandboxArgv(permissions: unknown, command: string, options: SandboxOptions): string[] {
  const compiled = compilePolicy(permissions);
  if (!compiled.ok)
    throw new PermissionsError("PERMISSIONS_INVALID", compiled.denial.reason, {
      hints: ["Fix the profile's permissions; `orchestra permissions check` shows the same error."],
    });
  const p = compiled.policy;
  if (p.execution !== "sandboxed")
    throw new PermissionsError(
      "SANDBOX_NOT_APPLICABLE",
      `Only \`execution: sandboxed\` runs commands in the sandbox (this profile has \`${p.execution}\`).`,
    );
  const cwd = posix.resolve(options.cwd);
  const home = posix.resolve(options.home);
  const kind = options.kind ?? diskKind;
  const argv = SANDBOX_PREFIX.split(" ");
  argv.push("--die-with-parent", "--new-session", "--unshare-all");
  if (p.network === "full") argv.push("--share-net");
  for (const name of SECRET_ENV) argv.push("--unsetenv", name);
  argv.push("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp");
  argv.push(p.filesystem === "full" ? "--bind" : "--ro-bind", cwd, cwd);
  if (p.filesystem === "full")
    for (const rel of SANDBOX_READ_ONLY) {
      const abs = posix.join(cwd, rel);
      argv.push("--ro-bind-try", abs, abs);
    }
  for (const glob of p.deniedGlobs) {
    const hidden = hiddenPath(glob, cwd, home);
    if (hidden === undefined) continue;
    const what = kind(hidden);
    if (what === "dir") argv.push("--tmpfs", hidden, "--remount-ro", hidden);
    else if (what === "file") argv.push("--ro-bind", "/dev/null", hidden);
  }
  argv.push("--chdir", options.workdir ? posix.resolve(cwd, options.workdir) : cwd);
  argv.push("--", options.shell ?? "/bin/bash", "-c", command);
  return argv;
}

/**
 * {@link sandboxArgv} as one command line for a POSIX shell (quoted with `shell-quote`), ready to
 * replace the shell tool's `command` argument.
 */
export function sandboxCommand(permissions: unknown, command: string, options: SandboxOptions): string {
  return quote(sandboxArgv(permissions, command, options));
}

/** The outcome of {@link probeBubblewrap}. */
export type SandboxProbe =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether bubblewrap is installed **and** can build the sandbox here (user namespaces may be
 * disabled, e.g. by an AppArmor policy or a container runtime). Runs `bwrap` once with the same
 * namespaces as {@link sandboxArgv}; about 5–20 ms. Never throws.
 */
export function probeBubblewrap(env: NodeJS.ProcessEnv = process.env): SandboxProbe {
  if (process.platform !== "linux")
    return { ok: false, reason: `bubblewrap needs Linux (this is ${process.platform})` };
  const version = spawnSync("bwrap", ["--version"], { env, encoding: "utf8", timeout: 5_000 });
  if (version.error || version.status !== 0) {
    const code = (version.error as NodeJS.ErrnoException | undefined)?.code;
    return {
      ok: false,
      reason:
        code === "ENOENT"
          ? "bubblewrap (`bwrap`) is not installed or not on PATH; install the Debian/Ubuntu package `bubblewrap`"
          : `\`bwrap --version\` failed: ${version.error?.message ?? version.stderr.trim()}`,
    };
  }
  const run = spawnSync(
    "bwrap",
    [
      "--die-with-parent",
      "--unshare-all",
      "--ro-bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      "--",
      "true",
    ],
    { env, encoding: "utf8", timeout: 10_000 },
  );
  if (run.error || run.status !== 0)
    return {
      ok: false,
      reason: `bubblewrap is installed but cannot create a sandbox here (${(run.error?.message ?? run.stderr.trim()) || `exit ${run.status}`}); unprivileged user namespaces may be disabled`,
    };
  return { ok: true, version: version.stdout.trim() };
}
