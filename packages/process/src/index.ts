/**
 * Process plumbing of Open Orchestra, defined once: `opencode serve` in its own process group,
 * terminate (dispose → SIGTERM → SIGKILL) with a sweep of descendants that left the group,
 * liveness, pid + start-time identity, resolving the `opencode` binary, waiting for its
 * `listening on` line, and the owner watchdog of a worker.
 * @packageDocumentation
 * @module @orchestra/process
 */
export { type Descendant, processDescendants, signalDescendants } from "./descendants.js";
export { killAllProcessGroups, liveProcessGroups, onProcessExit } from "./exit-hooks.js";
export { describeExit, isGroupAlive, killGroup, processGroupMembers } from "./group.js";
export {
  currentProcessIdentity,
  isProcessAlive,
  isSameProcess,
  type ProcessIdentity,
  processStartTime,
} from "./identity.js";
export {
  LISTENING_LINE,
  type Listening,
  type WaitForListeningOptions,
  waitForListening,
} from "./listening.js";
export {
  OPENCODE_BIN_ENV,
  type ResolvedOpencode,
  type ResolveOpencodeOptions,
  resolveOpencode,
  resolveOpencodeBinary,
  resolvePackageDir,
} from "./opencode-binary.js";
export {
  OWNER_CHECK_INTERVAL_MS,
  OWNER_ENV,
  type OwnerWatchdog,
  ownerEnv,
  ownerFromEnv,
  type WatchOwnerOptions,
  watchOwner,
} from "./owner-watchdog.js";
export {
  PLUGIN_PACKAGE,
  type SeedOptions,
  type SeedResult,
  seedPluginInstall,
} from "./plugin-install-seed.js";
export { freePort, isPortInUse } from "./port.js";
export { ProcessError, type ProcessErrorCode } from "./process-error.js";
export {
  type ExitInfo,
  type ProcessGroup,
  type SpawnProcessGroupOptions,
  spawnProcessGroup,
  type TerminateOptions,
} from "./process-group.js";
export { type ServerProcess, type SpawnServerOptions, spawnServerProcess } from "./server-process.js";
export { type TerminateGroupOptions, type TerminateOutcome, terminateGroup } from "./terminate.js";
