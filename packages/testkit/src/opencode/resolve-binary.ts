import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TestkitError } from "../errors.js";

/** Where to find the OpenCode binary. */
export interface ResolveOpencodeOptions {
  /** An explicit binary path (skips package resolution). */
  binary?: string;
  /** The binary's version, if known (otherwise read from `opencode-ai/package.json` or `--version`). */
  version?: string;
  /** Resolve `opencode-ai` from this directory or file first (default: `process.cwd()`), then from the testkit. */
  resolveFrom?: string;
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
 * Find an installed package's directory by walking up from `from` (a file or directory) through
 * `node_modules/<name>`, then from the testkit's own location. Works for packages whose `exports`
 * hide `package.json`. `undefined` when not installed.
 */
export function resolvePackageDir(name: string, from: string = process.cwd()): string | undefined {
  const starts = [resolve(from), dirname(fileURLToPath(import.meta.url))];
  for (const start of starts) {
    let dir = start;
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
    return true;
  } catch {
    return false;
  }
}

/**
 * Find the real OpenCode executable: `options.binary`, or `opencode-ai/bin/opencode.exe` (the ELF
 * the package's postinstall puts there) resolved from `resolveFrom`.
 */
export function resolveOpencode(options: ResolveOpencodeOptions = {}): ResolvedOpencode {
  if (options.binary) {
    const binary = resolve(options.binary);
    if (!executable(binary)) {
      throw new TestkitError(
        "TESTKIT_OPENCODE_NOT_FOUND",
        `The OpenCode binary ${binary} does not exist or is not executable.`,
        {
          hints: [
            "Pass the path of a working `opencode` executable, or omit `binary` to use the opencode-ai package.",
          ],
        },
      );
    }
    let version = options.version;
    if (!version) {
      try {
        version = execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 20_000 }).trim();
      } catch (cause) {
        throw new TestkitError("TESTKIT_OPENCODE_NOT_FOUND", `\`${binary} --version\` failed.`, {
          cause,
          hints: ["Pass `version` explicitly, or check that the binary runs on this machine."],
        });
      }
    }
    return { binary, version };
  }
  const packageDir = resolvePackageDir("opencode-ai", options.resolveFrom);
  if (!packageDir) {
    throw new TestkitError("TESTKIT_OPENCODE_NOT_FOUND", "Cannot resolve the opencode-ai package.", {
      hints: [
        "Add opencode-ai (pinned, for example 1.18.33) to your devDependencies.",
        "Or pass `binary: '/path/to/opencode'`.",
      ],
    });
  }
  const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { version?: string };
  const binary = join(packageDir, "bin", "opencode.exe");
  if (!executable(binary)) {
    throw new TestkitError(
      "TESTKIT_OPENCODE_NOT_FOUND",
      `opencode-ai is installed but ${binary} is missing.`,
      {
        hints: [
          "opencode-ai's postinstall script did not run. With pnpm, list opencode-ai under onlyBuiltDependencies in pnpm-workspace.yaml and reinstall.",
          "With npm, do not use --ignore-scripts for this package.",
        ],
      },
    );
  }
  return { binary, version: options.version ?? pkg.version ?? "", packageDir };
}
