import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package OpenCode installs into every config dir. */
export const PLUGIN_PACKAGE = "@opencode-ai/plugin";

/** Result of {@link seedPluginInstall}. */
export type SeedResult =
  /** The marker files were written. */
  | "seeded"
  /** The dir already satisfied OpenCode's check; nothing was changed. */
  | "already-satisfied"
  /** The dir has its own `package.json` dependencies that are not installed: left alone, OpenCode will install. */
  | "left-alone";

/** Options of {@link seedPluginInstall}. */
export interface SeedOptions {
  /**
   * A directory holding an installed `@opencode-ai/plugin` to link as
   * `node_modules/@opencode-ai/plugin`, so plugins placed in this config dir can import it.
   */
  linkPluginPackage?: string;
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function depNames(section: unknown): string[] {
  return typeof section === "object" && section !== null ? Object.keys(section) : [];
}

/**
 * Pre-seed an OpenCode config dir (the global `$XDG_CONFIG_HOME/opencode` or a project's
 * `.opencode/`) so OpenCode skips its embedded npm install of `@opencode-ai/plugin`.
 *
 * OpenCode 1.18's check (`Npm.install` in the binary): the install runs when the dir has no
 * `node_modules/`, or when a dependency named in `package.json` (or the `@opencode-ai/plugin` it
 * wants to add) is missing from `package-lock.json`'s `packages[""]` dependencies. Without this,
 * the first request waits for the install: about 13 s online, about 72 s offline.
 *
 * A dir whose `package.json` declares other dependencies that are not locked is left alone, so a
 * real project's plugin dependencies still get installed.
 */
export function seedPluginInstall(dir: string, version: string, options: SeedOptions = {}): SeedResult {
  mkdirSync(dir, { recursive: true });
  const pkgPath = join(dir, "package.json");
  const lockPath = join(dir, "package-lock.json");
  const pkg = readJson(pkgPath) ?? {};
  const lock = readJson(lockPath) ?? {};
  const packages = (lock.packages ?? {}) as Record<string, Record<string, unknown>>;
  const root = packages[""] ?? {};
  const locked = new Set([
    ...depNames(root.dependencies),
    ...depNames(root.devDependencies),
    ...depNames(root.peerDependencies),
    ...depNames(root.optionalDependencies),
  ]);
  const declared = [
    ...depNames(pkg.dependencies),
    ...depNames(pkg.devDependencies),
    ...depNames(pkg.peerDependencies),
    ...depNames(pkg.optionalDependencies),
  ];
  const hasNodeModules = existsSync(join(dir, "node_modules"));
  const foreign = declared.filter((name) => name !== PLUGIN_PACKAGE && !locked.has(name));
  if (foreign.length > 0) return "left-alone";
  if (hasNodeModules && locked.has(PLUGIN_PACKAGE) && declared.every((name) => locked.has(name))) {
    return "already-satisfied";
  }

  const dependencies = {
    ...(pkg.dependencies as Record<string, string> | undefined),
    [PLUGIN_PACKAGE]: version,
  };
  writeFileSync(pkgPath, `${JSON.stringify({ ...pkg, dependencies }, null, 2)}\n`);
  const lockRoot = {
    ...root,
    dependencies: { ...(root.dependencies as Record<string, string> | undefined), [PLUGIN_PACKAGE]: version },
  };
  writeFileSync(
    lockPath,
    `${JSON.stringify(
      {
        name: typeof lock.name === "string" ? lock.name : "",
        lockfileVersion: 3,
        requires: true,
        ...lock,
        packages: {
          ...packages,
          "": lockRoot,
          [`node_modules/${PLUGIN_PACKAGE}`]: packages[`node_modules/${PLUGIN_PACKAGE}`] ?? { version },
        },
      },
      null,
      2,
    )}\n`,
  );
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  if (options.linkPluginPackage) {
    const target = join(dir, "node_modules", PLUGIN_PACKAGE);
    let present = false;
    try {
      lstatSync(target);
      present = true;
    } catch {
      present = false;
    }
    if (!present) {
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(options.linkPluginPackage, target, "dir");
    }
  }
  return "seeded";
}
