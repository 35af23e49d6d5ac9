/**
 * The orchestrator config: schema, loader and path-naming errors.
 * @packageDocumentation
 * @module @orchestra/config
 */
export { ConfigError, type ConfigErrorCode, type ConfigIssue } from "./config-error.js";
export type { OrchestratorConfigFile, Profile as ProfileFile } from "./generated/orchestrator-config-file.js";
export { type JsonSchemaNode, orchestratorJsonSchema } from "./json-schema.js";
export {
  type ConfigLayer,
  configPaths,
  type EntryOrigin,
  type LayerKind,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  parseJsonc,
  type ValidationResult,
  validateConfig,
} from "./load.js";
export { KEYED_ARRAYS, mergeLayers } from "./merge.js";
export { type OrchestratorConfig, type OrchestratorConfigInput, orchestratorConfigSchema } from "./schema.js";
export { LOOKS_LIKE_V02, looksLikeV02, UNPLACED_KEY, v02Evidence } from "./v02/detect.js";
export {
  type MigrateOptions,
  type MigrationAction,
  type MigrationChange,
  type MigrationResult,
  migrateV02,
} from "./v02/migrate.js";
export { V02_RETIRED_KEYS, type V02Fate, type V02Key } from "./v02/retired-keys.js";
