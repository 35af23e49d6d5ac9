import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InvalidArgumentError } from "commander";

/** What a command-line path must be. */
type PathKind = "file" | "directory";

function kindOf(path: string): PathKind | "other" | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? "file" : stat.isDirectory() ? "directory" : "other";
  } catch {
    return undefined;
  }
}

/**
 * A commander parser of a path that must exist and be a `kind`; it returns the path resolved against
 * the current directory. A typo fails with exit 2 instead of silently reading nothing.
 */
export function existing(kind: PathKind): (value: string) => string {
  return (value) => {
    const path = resolve(value);
    const found = kindOf(path);
    if (found === undefined) throw new InvalidArgumentError(`no such ${kind}: ${path}`);
    if (found !== kind) throw new InvalidArgumentError(`${path} is not a ${kind}`);
    return path;
  };
}

/** A commander parser of a file that may not exist yet, in a directory that must. */
export function fileInExistingDirectory(value: string): string {
  const path = resolve(value);
  if (kindOf(dirname(path)) !== "directory")
    throw new InvalidArgumentError(`no such directory: ${dirname(path)}`);
  if (kindOf(path) === "directory") throw new InvalidArgumentError(`${path} is a directory, not a file`);
  return path;
}

/** A commander parser of a whole number of milliseconds from `min` to `max`. */
export function millisecondsBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected whole milliseconds from ${min} to ${max}`);
    return n;
  };
}

/** A commander parser of a whole number from `min` to `max`. */
export function countBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/**
 * A commander parser of an OpenCode server's address: an http(s) URL, or `host:port`, which means
 * `http://host:port`. Returns the URL without a trailing slash.
 */
export function serverUrl(value: string): string {
  const text = value.includes("://") ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError("expected a server URL such as http://127.0.0.1:4096");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new InvalidArgumentError(
      `expected an http or https URL such as http://127.0.0.1:4096 (got ${url.protocol})`,
    );
  return url.href.replace(/\/$/, "");
}
