import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { openEmbeddedStore } from "./embedded-store.js";
import { MemoryError } from "./memory-error.js";
import { normalizeMaxValueChars, normalizeScope } from "./memory-input.js";
import type { MemoryScope, MemoryStore } from "./memory-store.js";
import { type Neo4jConnection, openNeo4jStore } from "./neo4j-store.js";

/**
 * Configuration of {@link openMemoryStore}. Its fields match the orchestrator config's `memory`
 * section (`scope`, `maxValueChars`, `embedded.path`, `neo4j`), plus the project id.
 */
export interface MemoryStoreConfig {
  /** The project `project`-scoped memories belong to; defaults to the current directory. */
  project?: string;
  /** Scope of writes and lookups that omit one (default `project`). */
  scope?: MemoryScope;
  /** Longest accepted value, in characters (default 20 000). */
  maxValueChars?: number;
  /** The embedded store (used unless Neo4j is configured). */
  embedded?: {
    /** Database file; default `$XDG_DATA_HOME/opencode/orchestra/memory.db` (`~/.local/share/…`). `~/` is expanded. */
    path?: string;
    /** Write-lock wait across processes, in milliseconds (default 10 000). */
    busyTimeoutMs?: number;
  };
  /**
   * Use Neo4j. Missing fields fall back to NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE.
   * When unset, Neo4j is still used if NEO4J_URI is set; `false` forces the embedded store.
   */
  neo4j?: Partial<Neo4jConnection> | false;
}

/** The backend {@link resolveMemoryConfig} chose, with every default filled in. */
export type ResolvedMemoryConfig =
  | {
      backend: "embedded";
      project: string;
      scope: MemoryScope;
      maxValueChars: number;
      /** Absolute database path. */
      path: string;
      busyTimeoutMs: number;
    }
  | {
      backend: "neo4j";
      project: string;
      scope: MemoryScope;
      maxValueChars: number;
      /** Connection; `password` is present only when configured. */
      neo4j: Neo4jConnection & { user: string };
    };

type Env = Readonly<Record<string, string | undefined>>;

/** The default embedded database file for an environment. */
export function defaultMemoryPath(env: Env = process.env): string {
  const dataHome = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(dataHome, "opencode", "orchestra", "memory.db");
}

function expandHome(path: string, env: Env): string {
  if (path === ":memory:") return path;
  if (path === "~" || path.startsWith("~/")) return join(env.HOME || homedir(), path.slice(1));
  return resolve(path);
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);

/**
 * Decide which backend a config selects, without opening anything: Neo4j when `neo4j` is given
 * (or NEO4J_URI is set and `neo4j` is not `false`), the embedded store otherwise.
 * Throws `MEMORY_CONFIG_INVALID` for an incomplete Neo4j config.
 */
export function resolveMemoryConfig(
  config: MemoryStoreConfig = {},
  env: Env = process.env,
): ResolvedMemoryConfig {
  const project = config.project ?? process.cwd();
  if (typeof project !== "string" || project.length === 0) {
    throw new MemoryError("MEMORY_CONFIG_INVALID", "memory: project must be a non-empty string.", {
      hints: ["pass the project's worktree path"],
    });
  }
  const scope = normalizeScope(config.scope, "project");
  const maxValueChars = normalizeMaxValueChars(config.maxValueChars);
  const wantsNeo4j =
    config.neo4j !== false && (config.neo4j !== undefined || nonEmpty(env.NEO4J_URI) !== undefined);
  if (!wantsNeo4j) {
    return {
      backend: "embedded",
      project,
      scope,
      maxValueChars,
      path: expandHome(config.embedded?.path ?? defaultMemoryPath(env), env),
      busyTimeoutMs: config.embedded?.busyTimeoutMs ?? 10_000,
    };
  }
  const given = config.neo4j || {};
  const uri = nonEmpty(given.uri) ?? nonEmpty(env.NEO4J_URI);
  if (uri === undefined) {
    throw new MemoryError(
      "MEMORY_CONFIG_INVALID",
      "memory.neo4j is set but has no uri, and NEO4J_URI is not set.",
      {
        hints: [
          "set memory.neo4j.uri (e.g. bolt://127.0.0.1:7687), or remove memory.neo4j to use the embedded store",
        ],
      },
    );
  }
  if (!/^(neo4j|bolt)(\+s|\+ssc)?:\/\/.+/.test(uri)) {
    throw new MemoryError(
      "MEMORY_CONFIG_INVALID",
      `memory.neo4j.uri ${JSON.stringify(uri)} is not a Bolt URI.`,
      {
        hints: ["use bolt://host:7687 or neo4j://host:7687 (add +s for TLS)"],
      },
    );
  }
  const password = given.password ?? nonEmpty(env.NEO4J_PASSWORD);
  const database = nonEmpty(given.database) ?? nonEmpty(env.NEO4J_DATABASE);
  return {
    backend: "neo4j",
    project,
    scope,
    maxValueChars,
    neo4j: {
      uri,
      user: nonEmpty(given.user) ?? nonEmpty(env.NEO4J_USER) ?? "neo4j",
      ...(password === undefined ? {} : { password }),
      ...(database === undefined ? {} : { database }),
    },
  };
}

/**
 * Open the memory store the config selects: the embedded SQLite store by default (zero setup),
 * Neo4j when configured. See {@link resolveMemoryConfig} for the rules.
 *
 * @example
 * ```ts
 * const memory = await openMemoryStore({ project: worktree });
 * await memory.put({ key: "decision/db", value: "We use SQLite for the cache.", tags: ["decision"] });
 * const hits = await memory.search("which database for the cache");
 * await memory.close();
 * ```
 */
export async function openMemoryStore(
  config: MemoryStoreConfig = {},
  env: Env = process.env,
): Promise<MemoryStore> {
  const resolved = resolveMemoryConfig(config, env);
  if (resolved.backend === "embedded") {
    return openEmbeddedStore({
      path: resolved.path,
      project: resolved.project,
      defaultScope: resolved.scope,
      maxValueChars: resolved.maxValueChars,
      busyTimeoutMs: resolved.busyTimeoutMs,
    });
  }
  return openNeo4jStore({
    ...resolved.neo4j,
    project: resolved.project,
    defaultScope: resolved.scope,
    maxValueChars: resolved.maxValueChars,
  });
}
