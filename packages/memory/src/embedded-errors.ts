import { MemoryError } from "./memory-error.js";

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A libSQL failure as a {@link MemoryError}: busy, unavailable (I/O, read-only) or backend failed. */
export function backendError(error: unknown, doing: string): MemoryError {
  if (MemoryError.isInstance(error)) return error as MemoryError;
  const code = sqliteCode(error) ?? "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new MemoryError(
      "MEMORY_BUSY",
      `The memory database was locked by another process for longer than the busy timeout while ${doing}. Nothing was changed.`,
      { cause: error, hints: ["retry; if it persists, look for a process stuck holding the database open"] },
    );
  }
  if (
    code.startsWith("SQLITE_CANTOPEN") ||
    code.startsWith("SQLITE_READONLY") ||
    code.startsWith("SQLITE_IOERR")
  ) {
    return new MemoryError(
      "MEMORY_UNAVAILABLE",
      `The memory database cannot be used while ${doing}: ${String(error)}`,
      {
        cause: error,
        hints: ["check that the database file and its folder exist and are writable"],
      },
    );
  }
  return new MemoryError(
    "MEMORY_BACKEND_FAILED",
    `The embedded memory store failed while ${doing}: ${String(error)}`,
    {
      cause: error,
    },
  );
}
