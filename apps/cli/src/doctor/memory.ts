import { existsSync, statSync } from "node:fs";
import { connect } from "node:net";
import type { OrchestratorConfig } from "@orchestra/config";
import { OrchestraError } from "@orchestra/core";
import { resolveMemoryConfig } from "@orchestra/memory";
import { type CheckResult, checkResult } from "./check.js";
import { creatable, readWritable } from "./writable-path.js";

/** How long the Neo4j server may take to accept a TCP connection, in ms. */
const NEO4J_CONNECT_TIMEOUT_MS = 3_000;

/** Resolve when `host:port` accepts a TCP connection within the timeout; otherwise reject with why. */
function tcpReachable(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(NEO4J_CONNECT_TIMEOUT_MS);
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(new Error(`no answer within ${NEO4J_CONNECT_TIMEOUT_MS} ms`));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(new Error(error.code ?? error.message));
    });
  });
}

/**
 * `memory`: the memory store the config selects (`memory` section, NEO4J_* variables), checked
 * without writing anything: the embedded store's database file (or the directory it will be
 * created in) is readable and writable; a Neo4j server accepts a TCP connection within
 * {@link NEO4J_CONNECT_TIMEOUT_MS} (credentials are checked when the plugin opens it).
 */
export async function checkMemory(
  memory: OrchestratorConfig["memory"] | undefined,
  options: { projectDir: string; env: NodeJS.ProcessEnv },
): Promise<CheckResult> {
  if (memory?.enabled === false)
    return checkResult("memory", "pass", "memory is off (memory.enabled: false)");
  let resolved: ReturnType<typeof resolveMemoryConfig>;
  try {
    resolved = resolveMemoryConfig(
      {
        project: options.projectDir,
        ...(memory === undefined
          ? {}
          : {
              scope: memory.scope,
              maxValueChars: memory.maxValueChars,
              ...(memory.embedded.path === undefined ? {} : { embedded: { path: memory.embedded.path } }),
              ...(memory.neo4j === undefined ? {} : { neo4j: memory.neo4j }),
            }),
      },
      options.env,
    );
  } catch (error) {
    if (!OrchestraError.isInstance(error)) throw error;
    return checkResult("memory", "fail", error.message, error.hints.join("; ") || undefined);
  }
  if (resolved.backend === "neo4j") {
    const url = new URL(resolved.neo4j.uri);
    const port = Number(url.port || 7687);
    const where = `${url.hostname}:${port}`;
    try {
      await tcpReachable(url.hostname, port);
      return checkResult(
        "memory",
        "pass",
        `Neo4j at ${resolved.neo4j.uri} accepts connections (user ${resolved.neo4j.user}; the password is checked when the plugin connects)`,
      );
    } catch (error) {
      return checkResult(
        "memory",
        "fail",
        `Neo4j at ${resolved.neo4j.uri} is not reachable (${where}: ${(error as Error).message}); memory tools will fail`,
        "start Neo4j, or fix memory.neo4j.uri / NEO4J_URI; remove memory.neo4j (and unset NEO4J_URI) to use the embedded store",
      );
    }
  }
  const { path } = resolved;
  if (path === ":memory:")
    return checkResult("memory", "pass", "embedded store in memory (:memory:): nothing is kept between runs");
  if (existsSync(path)) {
    if (!statSync(path).isFile())
      return checkResult(
        "memory",
        "fail",
        `the embedded store ${path} is not a file`,
        "set memory.embedded.path to a file path",
      );
    return (await readWritable(path))
      ? checkResult("memory", "pass", `embedded store ${path}`)
      : checkResult(
          "memory",
          "fail",
          `the embedded store ${path} is not readable and writable by you`,
          `fix its permissions (chmod 600 ${path})`,
        );
  }
  const place = await creatable(path);
  return place.ok
    ? checkResult("memory", "pass", `embedded store ${path} (created on first use)`)
    : checkResult(
        "memory",
        "fail",
        `the embedded store ${path} cannot be created: ${place.blockedBy} is not a writable directory`,
        "set memory.embedded.path to a writable location",
      );
}
