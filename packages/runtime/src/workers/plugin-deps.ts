import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PLUGIN_PACKAGE, resolvePackageDir, type SeedResult, seedPluginInstall } from "@orchestra/process";

/** What {@link seedOpencodeConfigDirs} did in each config dir. */
export interface ConfigDirSeed {
  dir: string;
  result: SeedResult;
}

/**
 * The config dirs an `opencode serve` started with `env` in `directory` installs
 * `@opencode-ai/plugin` into (OpenCode 1.18): its global config dir (`$XDG_CONFIG_HOME/opencode`,
 * else `$HOME/.config/opencode`, created by OpenCode when missing), `$OPENCODE_CONFIG_DIR`, and
 * every existing `.opencode/` from `directory` up to `/` (OpenCode creates none of those).
 */
export function opencodeConfigDirs(env: NodeJS.ProcessEnv, directory: string): string[] {
  const home = env.HOME ?? homedir();
  const dirs = [join(env.XDG_CONFIG_HOME ?? join(home, ".config"), "opencode")];
  if (env.OPENCODE_CONFIG_DIR) dirs.push(resolve(env.OPENCODE_CONFIG_DIR));
  for (let dir = resolve(directory); ; dir = dirname(dir)) {
    const local = join(dir, ".opencode");
    if (existsSync(local)) dirs.push(local);
    if (dirname(dir) === dir) break;
  }
  return [...new Set(dirs)];
}

/** The version of the `opencode-ai` package a binary at `<package>/bin/...` belongs to. */
function binaryVersion(binary: string): string | undefined {
  const pkgFile = join(dirname(dirname(binary)), "package.json");
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { name?: string; version?: string };
    return pkg.name === "opencode-ai" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** A plugin spec's file path (a `file://` URL or an absolute path), to resolve packages from. */
function pluginPath(spec: string): string | undefined {
  if (spec.startsWith("file:")) return fileURLToPath(spec);
  return spec.startsWith("/") ? spec : undefined;
}

/** Options of {@link seedOpencodeConfigDirs}. */
export interface SeedConfigDirsOptions {
  /** The environment the server gets (its HOME and XDG dirs say where its config dirs are). */
  env: NodeJS.ProcessEnv;
  /** The project directory the server serves. */
  directory: string;
  /** The `opencode` binary (its `opencode-ai` package names the version OpenCode would install). */
  binary: string;
  /** The plugin specs the server loads: `@opencode-ai/plugin` is looked for beside them first. */
  plugins?: readonly string[];
}

/**
 * Pre-seed OpenCode's plugin-dependency install in every config dir a server will use (see
 * {@link opencodeConfigDirs}), as the testkit does: an installed `@opencode-ai/plugin` (the one
 * beside the worker's plugin, or this package's) is linked into `node_modules/`, and
 * `package.json` + `package-lock.json` list it, so OpenCode's embedded npm install (about 14 s
 * online, about 72 s with the registry unreachable, repeated on every start when it fails) is
 * skipped and no server can be killed in the middle of it. A dir whose own dependencies are not
 * installed is left alone (OpenCode installs them). Without an installed `@opencode-ai/plugin` to
 * link, nothing is written (local plugins importing it would break) and `[]` is returned.
 */
export function seedOpencodeConfigDirs(options: SeedConfigDirsOptions): ConfigDirSeed[] {
  const from = (options.plugins ?? []).map(pluginPath).filter((p): p is string => p !== undefined);
  const linked = resolvePackageDir(PLUGIN_PACKAGE, ...from, import.meta.dirname);
  if (linked === undefined) return [];
  const version = binaryVersion(options.binary) ?? packageVersion(linked);
  if (version === undefined) return [];
  return opencodeConfigDirs(options.env, options.directory).map((dir) => ({
    dir,
    result: seedPluginInstall(dir, version, { linkPluginPackage: linked }),
  }));
}
