// The public surface of @orchestra/runtime: one front door (`createOrchestra`), the device's
// workers seen from another process (`listDeviceWorkers`, `connectWorker`, `cleanupWorkers`),
// the errors, and what the plugin's worker side needs to answer a spawn. Everything else is
// internal; `@orchestra/runtime/internal` (src/internal.ts) is for this repository's tests only.
export type { BudgetWarning } from "./budget/budget-guard.js";
export { unpricedBudgetWarning } from "./budget/unpriced.js";
export {
  cleanupWorkers,
  connectWorker,
  type DeviceWorker,
  listDeviceWorkers,
  type WorkerConnection,
} from "./device-workers.js";
export { type JobJson, toJobJson } from "./journal/job-json.js";
export {
  isTerminalJobStatus,
  JOB_TEXT_LIMIT,
  type JobOwner,
  type JobRecord,
  type JobStatus,
  type JobTokens,
} from "./journal/job-record.js";
export {
  type JobJournal,
  type JobJournalOptions,
  type JobListOptions,
  type JobOutcome,
  type JobUsage,
  type NewJob,
  openJobJournal,
} from "./journal/journal.js";
export { defaultJournalFile } from "./journal/journal-paths.js";
export { catalogPrices } from "./ledger/catalog-prices.js";
export { parseDuration } from "./ledger/duration.js";
export {
  NO_SESSION_KEY,
  totalsWithCaused,
  UNKNOWN_KEY,
  USAGE_GROUPINGS,
  type UsageGrouping,
  type UsageReport,
  type UsageReportOptions,
  type UsageRow,
  type UsageTotals,
  usageReport,
} from "./ledger/ledger.js";
export { formatCost, formatUsageTable } from "./ledger/usage-format.js";
export { LifecycleError, type LifecycleErrorCode } from "./lifecycle/lifecycle-error.js";
export { formatRecoveryReport, type RecoveryReport } from "./lifecycle/recovery.js";
export type { ShutdownReport } from "./lifecycle/worker-lifecycle.js";
export { createOrchestra } from "./orchestra.js";
export type {
  Orchestra,
  OrchestraEvents,
  OrchestraOptions,
  ProfileModelChange,
  WorkerLease,
} from "./orchestra-types.js";
export type { Delegation, HostServer, SpawnOptions } from "./orchestrator.js";
export { type PeerBridge, startPeerBridge } from "./peer/peer-bridge.js";
export { PeerError, type PeerErrorCode } from "./peer/peer-error.js";
export { ASK_PEER_TOOL, type PeerAnswer, type PeerRequest } from "./peer/peer-request.js";
export { PeerRouter, type PeerRouterOptions } from "./peer/peer-router.js";
export { RegistryError, type RegistryErrorCode } from "./registry/errors.js";
export { defaultRegistryFile } from "./registry/paths.js";
export type { RegistryEntry } from "./registry/schema.js";
export { scanWorkerProcesses } from "./registry/worker-scan.js";
export { RuntimeError, type RuntimeErrorCode } from "./runtime-error.js";
export type { CancelResult } from "./workers/cancel.js";
export {
  ENFORCEMENT_KEY_ENV,
  ENFORCEMENT_TOOL,
  ENFORCEMENT_TOOL_DESCRIPTION,
  enforcementProof,
  proofDescription,
} from "./workers/enforcement-handshake.js";
export { cancelJob, type JobControlOptions, steerJob } from "./workers/job-control.js";
export type { Job } from "./workers/jobs.js";
export { describeFallback, type ModelFallback } from "./workers/model-fallback.js";
export { opencodeConfigDirs } from "./workers/plugin-deps.js";
export type { SteerResult } from "./workers/steer.js";
export type { StreamBody, StreamKind, StreamMessage } from "./workers/stream.js";
export type { AskOptions, AskProgress, AskResult, WorkerInfo } from "./workers/worker.js";
export { WORKER_ENV_FLAG, workerClient } from "./workers/worker-client.js";
export { PROJECT_DIR_ENV } from "./worktree/project-dir-env.js";
export type { StoppedWorker } from "./worktree/stopped-worker.js";
export type { WorktreeChanges, WorktreeStopReport } from "./worktree/worktree.js";
export { WorktreeError, type WorktreeErrorCode } from "./worktree/worktree-error.js";
export { changesWarnings } from "./worktree/worktree-flags.js";
export type { WorktreeMerge } from "./worktree/worktree-merge.js";
export { WORKTREES_DIR_ENV, worktreesRoot } from "./worktree/worktree-store.js";
export type { SweptWorktree, WorktreeSweep } from "./worktree/worktree-sweep.js";
export {
  finishWorkerWorktree,
  type MergeWorkerOptions,
  mergeWorkerWorktree,
  workerWorktreeChanges,
} from "./worktree/worktree-workers.js";
