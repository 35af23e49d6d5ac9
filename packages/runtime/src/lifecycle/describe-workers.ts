import type { HealthWatch } from "./health-watch.js";
import type { LifecycleWorker } from "./lifecycle-types.js";
import type { RegistrySync } from "./registry-sync.js";
import type { TrackedWorkers } from "./tracked.js";

/** The public view of the table: status, health, warm-pool role and registry state of each worker. */
export function describeWorkers(
  rows: TrackedWorkers,
  health: HealthWatch,
  sync: RegistrySync,
): LifecycleWorker[] {
  return [...rows].map(([id, row]) => ({
    id,
    profile: row.profile,
    status: row.worker?.status ?? "starting",
    pid: row.pid,
    health: health.stateOf(id),
    warm: row.warm === undefined ? "none" : row.leased ? "leased" : "idle",
    recorded: sync.isRecorded(id),
  }));
}
