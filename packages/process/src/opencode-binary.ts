import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { ProcessError } from "./process-error.js";

/** The environment variable that names the `opencode` binary to run. */
export const OPENCODE_BIN_ENV = "ORCHESTRA_OPENCODE_BIN";

/** Where to look for the `opencode` binary. The first that exists wins, in this order. */
export interface ResolveOpencodeOptions {
  /** 1. An explicit binary path. */
  binary?: string;
  /** 2. With an environment, its `ORCHESTRA_OPENCODE_BIN` (an explicit path). */
  env?: NodeJS.ProcessEnv;
  /** 3. The `opencode-ai` package, searched for from this file or directory (default `process.cwd()`). */
  resolveFrom?: string;
  /** 4. Then from these (for example the caller's own location: `import.meta.dirname`). */
  fallbackFrom?: readonly string[];
  /** 5. `opencode` on the `PATH` of `env` (default false). */
  searchPath?: boolean;
  /** The binary's version, if known (otherwise read from `opencode-ai/package.json` or `--version`). */
  version?: string;
}

/** A resolved OpenCode binary. */
export interface ResolvedOpencode {
  /** Absolute path of the executable. */
  binary: string;
  /** Its version, for example `1.18.33`. */
  version: string;
  /** The `opencode-ai` package dir, when resolved from a package. */
  packageDir?: string;
}

/**
 * Find an installed package's directory by walking up from each of `from` (files or directories)
 * through `node_modules/<name>`. Works for packages whose `exports` hide `package.json`.
 * `undefined` when not installed.
 */
export function resolvePackageDir(name: string, ...from: string[]): string | undefined {
  for (const start of from.length ? from : [process.cwd()]) {
    let dir = resolve(start);
    try {
      if (!statSync(dir).isDirectory()) dir = dirname(dir);
    } catch {
      dir = dirname(dir);
    }
    for (;;) {
      const candidate = join(dir, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function explicit(binary: string, source: string): string {
  const path = resolve(binary);
  if (executable(path)) return path;
  throw new ProcessError(
    "PROCESS_OPENCODE_NOT_FOUND",
    `the OpenCode binary ${path} (${source}) does not exist or is not executable`,
    {
      hints: [
        `point ${source} at a working \`opencode\` executable, or leave it unset to use the opencode-ai package`,
      ],
    },
  );
}

/**
 * Where the `opencode` binary is, without running it: see {@link ResolveOpencodeOptions} for the
 * order. From the `opencode-ai` package it is `bin/opencode.exe`, the native executable its
 * postinstall puts there.
 *
 * @throws {ProcessError} `PROCESS_OPENCODE_NOT_FOUND`, naming what was tried and what to do.
 * @example resolveOpencodeBinary({ env: process.env, fallbackFrom: [import.meta.dirname], searchPath: true })
 */
export function resolveOpencodeBinary(options: ResolveOpencodeOptions = {}): string {
  return locate(options).binary;
}

function locate(options: ResolveOpencodeOptions): { binary: string; packageDir?: string } {
  if (options.binary) return { binary: explicit(options.binary, "binary") };
  const fromEnv = options.env?.[OPENCODE_BIN_ENV];
  if (fromEnv) return { binary: explicit(fromEnv, `$${OPENCODE_BIN_ENV}`) };
  const packageDir = resolvePackageDir(
    "opencode-ai",
    options.resolveFrom ?? process.cwd(),
    ...(options.fallbackFrom ?? []),
  );
  if (packageDir) {
    const binary = join(packageDir, "bin", "opencode.exe");
    if (executable(binary)) return { binary, packageDir };
    if (!options.searchPath) {
      throw new ProcessError(
        "PROCESS_OPENCODE_NOT_FOUND",
        `opencode-ai is installed but ${binary} is missing`,
        {
          hints: [
            "opencode-ai's postinstall script did not run. With pnpm, list opencode-ai under onlyBuiltDependencies in pnpm-workspace.yaml and reinstall",
            "with npm, do not use --ignore-scripts for this package",
          ],
        },
      );
    }
  }
  if (options.searchPath) {
    for (const dir of (options.env?.PATH ?? process.env.PATH ?? "").split(delimiter)) {
      if (dir && executable(join(dir, "opencode"))) return { binary: join(dir, "opencode") };
    }
  }
  throw new ProcessError("PROCESS_OPENCODE_NOT_FOUND", "no opencode binary found", {
    hints: [
      "add opencode-ai (pinned, for example 1.18.33) to your dependencies, or install it (npm i -g opencode-ai)",
      `or set ${OPENCODE_BIN_ENV}=/path/to/opencode`,
    ],
  });
}

/**
 * Find the `opencode` binary (as {@link resolveOpencodeBinary}) and its version: `options.version`,
 * else the `opencode-ai` package's version, else `<binary> --version`.
 *
 * @throws {ProcessError} `PROCESS_OPENCODE_NOT_FOUND` when there is no binary or it does not run.
 */
export function resolveOpencode(options: ResolveOpencodeOptions = {}): ResolvedOpencode {
  const found = locate(options);
  if (options.version) return { ...found, version: options.version };
  if (found.packageDir) {
    const pkg = JSON.parse(readFileSync(join(found.packageDir, "package.json"), "utf8")) as {
      version?: string;
    };
    if (pkg.version) return { ...found, version: pkg.version };
  }
  try {
    const version = execFileSync(found.binary, ["--version"], { encoding: "utf8", timeout: 20_000 }).trim();
    return { ...found, version };
  } catch (cause) {
    throw new ProcessError("PROCESS_OPENCODE_NOT_FOUND", `\`${found.binary} --version\` failed`, {
      cause,
      hints: ["pass `version` explicitly, or check that the binary runs on this machine"],
    });
  }
}
