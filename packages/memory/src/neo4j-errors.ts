import { MemoryError } from "./memory-error.js";

/** The driver error's `code` (a Neo4j status code), or "". */
export function neo4jCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** Map a driver error to a {@link MemoryError} with a stable code and a next step. */
export function mapError(
  error: unknown,
  doing: string,
  uri: string,
  database: string | undefined,
): MemoryError {
  if (MemoryError.isInstance(error)) return error as MemoryError;
  const code = neo4jCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (/Connection acquisition timed out/i.test(detail)) {
    return new MemoryError("MEMORY_BUSY", `Neo4j had no free connection for 60 s while ${doing}: ${detail}`, {
      cause: error,
      hints: ["the server is overloaded or queries are stuck; retry later"],
    });
  }
  if (
    code === "ServiceUnavailable" ||
    code === "SessionExpired" ||
    /ECONNREFUSED|ENOTFOUND|timed? ?out/i.test(detail)
  ) {
    return new MemoryError("MEMORY_UNAVAILABLE", `Cannot reach Neo4j at ${uri} while ${doing}: ${detail}`, {
      cause: error,
      hints: [
        "check that Neo4j is running and memory.neo4j.uri (or NEO4J_URI) is right",
        "remove memory.neo4j to use the embedded store instead",
      ],
    });
  }
  if (code.startsWith("Neo.ClientError.Security.")) {
    return new MemoryError(
      "MEMORY_AUTH_FAILED",
      `Neo4j at ${uri} refused the credentials while ${doing}: ${detail}`,
      {
        cause: error,
        hints: ["check memory.neo4j.user and memory.neo4j.password (or NEO4J_USER / NEO4J_PASSWORD)"],
      },
    );
  }
  if (code === "Neo.ClientError.Database.DatabaseNotFound") {
    return new MemoryError(
      "MEMORY_CONFIG_INVALID",
      `Neo4j at ${uri} has no database ${JSON.stringify(database)}: ${detail}`,
      {
        cause: error,
        hints: ["create it, or set memory.neo4j.database (or NEO4J_DATABASE) to an existing one"],
      },
    );
  }
  if (code.startsWith("Neo.TransientError.")) {
    return new MemoryError("MEMORY_BUSY", `Neo4j was busy while ${doing} and retries ran out: ${detail}`, {
      cause: error,
      hints: ["retry the call"],
    });
  }
  return new MemoryError("MEMORY_BACKEND_FAILED", `Neo4j failed while ${doing}: ${detail}`, { cause: error });
}
