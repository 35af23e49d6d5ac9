import { constants, existsSync, statSync } from "node:fs";
import { access } from "node:fs/promises";
import { dirname } from "node:path";

/** Whether `path` is readable and writable by this user. */
export function readWritable(path: string): Promise<boolean> {
  return access(path, constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Whether a file at `path`, which does not exist yet, can be created: its nearest existing
 * ancestor is a directory this user can write. Returns that ancestor when it cannot.
 */
export async function creatable(path: string): Promise<{ ok: true } | { ok: false; blockedBy: string }> {
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const ok = statSync(dir).isDirectory() && (await readWritable(dir));
  return ok ? { ok: true } : { ok: false, blockedBy: dir };
}
