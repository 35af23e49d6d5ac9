import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** An XDG base directory variable, ignored unless it is an absolute path (as the XDG spec says). */
function xdgDir(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value !== undefined && value !== "" && isAbsolute(value) ? value : join(homedir(), fallback);
}

/**
 * The default device registry file: `$XDG_DATA_HOME/opencode/orchestra/registry.json`,
 * that is `~/.local/share/opencode/orchestra/registry.json` when `XDG_DATA_HOME` is unset or relative.
 *
 * @example defaultRegistryFile({ XDG_DATA_HOME: "/data" }) // "/data/opencode/orchestra/registry.json"
 */
export function defaultRegistryFile(env: Env = process.env): string {
  return join(
    xdgDir(env, "XDG_DATA_HOME", join(".local", "share")),
    "opencode",
    "orchestra",
    "registry.json",
  );
}

/**
 * The default recovery manifest file: `$XDG_CONFIG_HOME/opencode/orchestrator-recovery.json`,
 * that is `~/.config/opencode/orchestrator-recovery.json` when `XDG_CONFIG_HOME` is unset or relative.
 */
export function defaultManifestFile(env: Env = process.env): string {
  return join(xdgDir(env, "XDG_CONFIG_HOME", ".config"), "opencode", "orchestrator-recovery.json");
}
