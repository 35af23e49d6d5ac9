import { lstatSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { posix } from "node:path";

/** What a path is on disk (symlinks are not followed). */
export type DiskKind = "dir" | "file" | "symlink" | undefined;

/** `lstat` without throwing. */
export function diskKind(path: string): DiskKind {
  const s = lstatSync(path, { throwIfNoEntry: false });
  if (!s) return undefined;
  return s.isSymbolicLink() ? "symlink" : s.isDirectory() ? "dir" : "file";
}

/** True when `path` is `root` or inside it. */
export function within(path: string, root: string): boolean {
  return root === "/" || path === root || path.startsWith(`${root}/`);
}

/** The system directories programs need, mounted read-only (symlinks such as `/bin -> usr/bin` are recreated). */
export const SYSTEM_DIRS: readonly string[] = [
  "/usr",
  "/bin",
  "/sbin",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/etc",
];

/**
 * Entries of `/etc` hidden inside the sandbox: secrets of the machine rather than configuration
 * programs read. The rest of `/etc` (passwd, hosts, ssl/certs, ld.so.cache, gitconfig, alternatives, …)
 * stays readable because tools need it and it holds no user data.
 */
const ETC_HIDDEN: readonly string[] = [
  "/etc/shadow",
  "/etc/shadow-",
  "/etc/gshadow",
  "/etc/gshadow-",
  "/etc/sudoers",
  "/etc/sudoers.d",
  "/etc/ssl/private",
  "/etc/krb5.keytab",
  "/etc/wireguard",
  "/etc/NetworkManager/system-connections",
  "/etc/credstore",
  "/etc/credstore.encrypted",
];

/**
 * Paths below the home directory (and the XDG dirs) that never reach the sandbox, even when a bound
 * tree (the project, an allowed path, a toolchain) contains them: the orchestrator's and OpenCode's
 * state and config (worker secret, registry, passwords, sessions), and the usual credential stores.
 */
export function protectedPaths(home: string, env: NodeJS.ProcessEnv): string[] {
  const xdg = (name: string, fallback: string) => {
    const v = env[name];
    return v?.startsWith("/") ? v : posix.join(home, fallback);
  };
  const data = xdg("XDG_DATA_HOME", ".local/share");
  const config = xdg("XDG_CONFIG_HOME", ".config");
  const state = xdg("XDG_STATE_HOME", ".local/state");
  const cache = xdg("XDG_CACHE_HOME", ".cache");
  const paths = [
    posix.join(data, "opencode"),
    posix.join(config, "opencode"),
    posix.join(state, "opencode"),
    posix.join(cache, "opencode"),
    posix.join(cache, "orchestra"),
    posix.join(home, ".cache/orchestra"),
    posix.join(home, ".local/share/opencode"),
    posix.join(home, ".config/opencode"),
    posix.join(home, ".local/state/opencode"),
    ...[".ssh", ".gnupg", ".aws", ".azure", ".kube", ".docker", ".netrc", ".npmrc", ".git-credentials"].map(
      (p) => posix.join(home, p),
    ),
    ...["gh", "gcloud", "hub", "git/credentials"].map((p) => posix.join(config, p)),
  ];
  return [...new Set(paths.map((p) => posix.resolve(p)))];
}

/** File names that hold credentials inside a toolchain directory (`~/.cargo/credentials.toml`, …). */
const TOOLCHAIN_SECRETS = [
  "credentials",
  "credentials.toml",
  ".credentials.json",
  ".npmrc",
  ".netrc",
  "auth.json",
];

function realDir(path: string): string | undefined {
  try {
    const real = realpathSync(path);
    return diskKind(real) === "dir" ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Directories to mount read-only so the programs on `PATH` run: for each `PATH` entry outside the system
 * directories, its real path, or the directory above a `bin` (so `~/.nvm/versions/node/v20/bin/npm`
 * finds its `lib/`). Never the home directory itself, an ancestor of it, or a directory that holds a
 * `protectedPaths` entry: then only the entry itself is mounted (`~/.local/bin`, `~/go/bin`).
 */
export function toolchainDirs(
  pathVar: string | undefined,
  home: string,
  protect: readonly string[],
): string[] {
  const out: string[] = [];
  const unsafe = (dir: string) =>
    dir === "/" || within(home, dir) || protect.some((p) => within(p, dir) || within(dir, p));
  for (const entry of (pathVar ?? "").split(":")) {
    if (!entry.startsWith("/")) continue;
    const real = realDir(entry);
    if (real === undefined || SYSTEM_DIRS.some((s) => within(real, s)) || unsafe(real)) continue;
    const parent = posix.dirname(real);
    const dir = posix.basename(real) === "bin" && !unsafe(parent) ? parent : real;
    if (!out.some((o) => within(dir, o))) out.push(dir);
  }
  return out.filter((d, i) => !out.some((o, j) => j !== i && o !== d && within(d, o)));
}

/** Credential files at the top of toolchain directories under the home directory, to hide. */
export function toolchainSecrets(dirs: readonly string[], home: string): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    if (!within(dir, home)) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (TOOLCHAIN_SECRETS.includes(name)) out.push(posix.join(dir, name));
  }
  return out;
}

/** bwrap arguments mounting {@link SYSTEM_DIRS} read-only and hiding {@link ETC_HIDDEN}. */
export function systemMountArgs(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const kind = diskKind(dir);
    if (kind === "symlink") args.push("--symlink", readlinkSync(dir), dir);
    else if (kind === "dir") args.push("--ro-bind", dir, dir);
  }
  for (const path of ETC_HIDDEN) args.push(...hideArgs(path, diskKind(path)));
  return args;
}

/** bwrap arguments hiding `path`: an empty read-only tmpfs over a directory, `/dev/null` over a file. */
export function hideArgs(path: string, kind: DiskKind): string[] {
  if (kind === "dir") return ["--tmpfs", path, "--remount-ro", path];
  if (kind === "file") return ["--ro-bind", "/dev/null", path];
  return [];
}

/**
 * Under `network: full`, `/etc/resolv.conf` is often a symlink into `/run` (systemd-resolved), which the
 * sandbox does not mount; mount just the file it points to.
 */
export function resolvConfArgs(): string[] {
  try {
    const real = realpathSync("/etc/resolv.conf");
    return within(real, "/etc") ? [] : ["--ro-bind", real, real];
  } catch {
    return [];
  }
}
