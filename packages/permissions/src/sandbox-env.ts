/**
 * Variables copied into the sandbox when they are set. Everything else (provider API keys,
 * `ORCHESTRA_*`, `OPENCODE_*`, `SSH_AUTH_SOCK`, `DBUS_SESSION_BUS_ADDRESS`, tokens, …) is dropped.
 * `LC_*` is matched by prefix.
 */
const SANDBOX_ENV_ALLOWED: readonly string[] = [
  "PATH",
  "USER",
  "LOGNAME",
  "LANG",
  "LANGUAGE",
  "TERM",
  "TZ",
  "SHELL",
  "NO_COLOR",
  "FORCE_COLOR",
  "CI",
  "NODE_ENV",
  "COLORTERM",
  // git's identity for commits: the user's ~/.gitconfig is not visible inside.
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
];

const ALLOWED = new Set(SANDBOX_ENV_ALLOWED);

/**
 * The environment of a sandboxed command: the {@link SANDBOX_ENV_ALLOWED} variables of `env`, plus
 * `HOME` (the sandbox's empty home), `TMPDIR=/tmp` and `ORCHESTRA_SANDBOX=1`.
 *
 * @example sandboxEnv({ PATH: "/usr/bin", ANTHROPIC_API_KEY: "sk-…" }, "/home/u")
 * // { PATH: "/usr/bin", HOME: "/home/u", TMPDIR: "/tmp", ORCHESTRA_SANDBOX: "1" }
 */
export function sandboxEnv(env: NodeJS.ProcessEnv, home: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !(ALLOWED.has(name) || /^LC_[A-Z_]+$/.test(name))) continue;
    out[name] = value;
  }
  out.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  out.HOME = home;
  out.TMPDIR = "/tmp";
  out.ORCHESTRA_SANDBOX = "1";
  return out;
}

/** {@link sandboxEnv} as bwrap arguments: `--clearenv` then one `--setenv` per variable. */
export function sandboxEnvArgs(env: NodeJS.ProcessEnv, home: string): string[] {
  const args = ["--clearenv"];
  for (const [name, value] of Object.entries(sandboxEnv(env, home))) args.push("--setenv", name, value);
  return args;
}
