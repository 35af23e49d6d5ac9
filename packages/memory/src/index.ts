export { type EmbeddedStoreOptions, openEmbeddedStore } from "./embedded-store.js";
export {
  formatMemoryContext,
  type MemoryContext,
  type MemoryContextOptions,
  type MemoryRecord,
  type MemoryRecordSource,
  quoteJson,
  recordSource,
} from "./memory-context.js";
export { MemoryError, type MemoryErrorCode } from "./memory-error.js";
export { DEFAULT_MAX_VALUE_CHARS, MAX_BATCH, MAX_KEY_LENGTH, MAX_LIMIT, MAX_TAGS } from "./memory-input.js";
export type {
  Memory,
  MemoryBackend,
  MemoryLink,
  MemoryProvenance,
  MemoryQueryOptions,
  MemoryRef,
  MemoryScope,
  MemorySearchHit,
  MemorySource,
  MemoryStore,
  PutMemoryInput,
} from "./memory-store.js";
export { NEO4J_SCHEMA, type Neo4jConnection, type Neo4jStoreOptions, openNeo4jStore } from "./neo4j-store.js";
export {
  defaultMemoryPath,
  type MemoryStoreConfig,
  openMemoryStore,
  type ResolvedMemoryConfig,
  resolveMemoryConfig,
} from "./open-memory-store.js";
export {
  FULL_LEVELS,
  isAtLeastAsRestricted,
  levelRank,
  MEMORY_LEVEL_CATEGORIES,
  type MemoryLevels,
  type MemoryTrust,
  mayReach,
  NO_LEVELS,
} from "./provenance.js";
export {
  findSecrets,
  HIGH_ENTROPY_KIND,
  isKeyLike,
  type SecretFinding,
  shannonEntropy,
} from "./secret-scan.js";
