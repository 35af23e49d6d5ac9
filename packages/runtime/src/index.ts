export { LifecycleError, type LifecycleErrorCode } from "./lifecycle/lifecycle-error.js";
export { parseModelRef, stopEntryProcess } from "./lifecycle/reconnect.js";
export {
  formatRecoveryReport,
  type RecoveryItem,
  type RecoveryOptions,
  type RecoveryReport,
  recoverWorkers,
} from "./lifecycle/recovery.js";
export {
  installShutdownSignals,
  registerForShutdown,
  type ShutdownSignalOptions,
  type ShutdownTarget,
} from "./lifecycle/shutdown-signals.js";
export {
  createWorkerLifecycle,
  type ShutdownReport,
  type WorkerLease,
  WorkerLifecycle,
  type WorkerLifecycleEvents,
  type WorkerLifecycleOptions,
} from "./lifecycle/worker-lifecycle.js";
export { defaultSecretFile, deriveWorkerPassword, loadWorkerSecret } from "./lifecycle/worker-secret.js";
export {
  type Delegation,
  type HostServer,
  Orchestrator,
  type OrchestratorHooks,
  type OrchestratorOptions,
  type SpawnOptions,
} from "./orchestrator.js";
export {
  isGroupAlive,
  killGroup,
  type ServerProcess,
  spawnServerProcess,
  terminateGroup,
} from "./process/server-process.js";
export { classifyEntry, type EntryClass } from "./registry/classify.js";
export { RegistryError, type RegistryErrorCode } from "./registry/errors.js";
export {
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  type FileLockOptions,
} from "./registry/file-lock.js";
export { consoleRegistryLogger, type RegistryLogger } from "./registry/logger.js";
export { deleteManifest, type ManifestOptions, readManifest, writeManifest } from "./registry/manifest.js";
export { hashPassword, verifyPassword } from "./registry/password-hash.js";
export { defaultManifestFile, defaultRegistryFile } from "./registry/paths.js";
export {
  currentProcessIdentity,
  isProcessAlive,
  isSameProcess,
  processStartTime,
} from "./registry/process-identity.js";
export {
  type DeviceRegistry,
  type OpenRegistryOptions,
  openRegistry,
  type RegistryPatch,
} from "./registry/registry.js";
export {
  type Manifest,
  ManifestSchema,
  type ManifestWorker,
  ManifestWorkerSchema,
  REGISTRY_VERSION,
  type RegistryEntry,
  RegistryEntrySchema,
  type RegistryOwner,
  RegistryOwnerSchema,
  type RegistryStatus,
} from "./registry/schema.js";
export { nextWorkerId } from "./registry/worker-id.js";
export { RuntimeError, type RuntimeErrorCode } from "./runtime-error.js";
export {
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  proofDescription,
} from "./workers/enforcement-handshake.js";
export { type Job, type JobStatus, JobStore } from "./workers/jobs.js";
export {
  type ProcessWorkerOptions,
  type SpawnProgress,
  startProcessWorker,
  startSessionWorker,
  WORKER_AGENT,
  WORKER_ENV_FLAG,
  type WorkerSpec,
  workerClient,
} from "./workers/spawn.js";
export {
  type AskOptions,
  type AskResult,
  type Attachment,
  answerText,
  type ModelRef,
  Worker,
  type WorkerInfo,
  type WorkerKind,
  type WorkerStatus,
} from "./workers/worker.js";
export {
  type PoolSpawnOptions,
  WorkerPool,
  type WorkerPoolEvents,
  type WorkerStarter,
} from "./workers/worker-pool.js";
