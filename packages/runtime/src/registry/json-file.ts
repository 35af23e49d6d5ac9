import { constants } from "node:fs";
import { copyFile, open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { RegistryError } from "./errors.js";

/** The text of `file`, or `undefined` when it does not exist. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new RegistryError("REGISTRY_IO", `cannot read ${file}`, {
      cause,
      hints: ["check the file's permissions (it should belong to you, mode 0600)"],
    });
  }
}

/**
 * Writes `value` as JSON to `file` atomically: a temporary file beside it, fsync, rename over
 * `file` (write-file-atomic), then a best-effort fsync of the directory so the rename itself
 * survives a crash. Readers see the old or the new content, never a mix. Mode 0600.
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, fsync: true });
  } catch (cause) {
    throw new RegistryError("REGISTRY_IO", `cannot write ${file}`, {
      cause,
      hints: ["check that the directory is writable and the disk is not full"],
    });
  }
  await fsyncDirectory(dirname(file));
}

async function fsyncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) and file systems cannot fsync a directory; the rename still happened.
  }
}

/** Deletes `file`; `false` if it did not exist. */
export async function deleteIfExists(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new RegistryError("REGISTRY_IO", `cannot delete ${file}`, {
      cause,
      hints: ["check the directory's permissions"],
    });
  }
}

let asideCounter = 0;

/** `<file>.<label>-<UTC timestamp>-<pid>-<n>`: sortable, and unique across processes. */
function asidePath(file: string, label: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  asideCounter += 1;
  return `${file}.${label}-${stamp}-${process.pid}-${asideCounter}`;
}

/**
 * Sets a corrupt (or unreadable) `file` aside as `<file>.<label>-<timestamp>…` and returns that
 * path (`label` defaults to `corrupt`). `move` renames the file (it is then gone); `copy` keeps it in
 * place and copies it aside, for when the caller is about to rewrite it with the valid part. Call
 * under the file's lock.
 */
export async function setAside(
  file: string,
  how: "move" | "copy",
  label = "corrupt",
  now = new Date(),
): Promise<string> {
  const target = asidePath(file, label, now);
  try {
    if (how === "move") await rename(file, target);
    else await copyFile(file, target, constants.COPYFILE_EXCL);
  } catch (cause) {
    throw new RegistryError("REGISTRY_IO", `cannot set the file ${file} aside as ${target}`, {
      cause,
      hints: [`move ${file} away by hand; a fresh one will be created`],
    });
  }
  return target;
}
