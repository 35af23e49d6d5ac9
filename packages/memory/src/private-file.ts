import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";

/** The mode of the database file and its `-wal`, `-shm` and `-journal` side files. */
const FILE_MODE = 0o600;
/** The mode of a folder the store creates for its file. */
const DIR_MODE = 0o700;

/**
 * Create the database file (mode 0600) and any missing folder (0700) before SQLite opens it:
 * SQLite gives the `-wal`, `-shm` and `-journal` files the mode of the database file.
 */
export function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  try {
    closeSync(openSync(path, "wx", FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Make an existing database (earlier versions created it 0644) and its side files 0600. */
export function restrictModes(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      chmodSync(file, FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}
