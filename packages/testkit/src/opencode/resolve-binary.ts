import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ResolvedOpencode,
  type ResolveOpencodeOptions,
  resolveOpencode as resolveFromProcess,
  resolvePackageDir as resolvePackageDirFrom,
} from "@orchestra/process";

/** The testkit's own location: it has `opencode-ai` beside it, so tests in any package find it. */
const testkitDir = dirname(fileURLToPath(import.meta.url));

/**
 * Find an installed package's directory from `from` (default `process.cwd()`), then from the
 * testkit's own location (see `resolvePackageDir` of `@orchestra/process`).
 */
export function resolvePackageDir(name: string, from: string = process.cwd()): string | undefined {
  return resolvePackageDirFrom(name, from, testkitDir);
}

/**
 * Find the real OpenCode executable and its version (`resolveOpencode` of `@orchestra/process`),
 * falling back to the `opencode-ai` package installed beside the testkit.
 *
 * @throws {ProcessError} `PROCESS_OPENCODE_NOT_FOUND`, naming what to do.
 */
export function resolveOpencode(options: ResolveOpencodeOptions = {}): ResolvedOpencode {
  return resolveFromProcess({ ...options, fallbackFrom: [...(options.fallbackFrom ?? []), testkitDir] });
}
