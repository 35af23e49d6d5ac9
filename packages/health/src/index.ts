export type { BackoffOptions } from "@orchestra/core";
export { HealthError, type HealthErrorCode } from "./errors.js";
export {
  type AddTargetOptions,
  createHealthMonitor,
  type DeadReason,
  type HealthEvents,
  type HealthMonitor,
  type HealthMonitorOptions,
  type HealthState,
  MIN_INTERVAL_MS,
  type TargetStatus,
} from "./health-monitor.js";
export { type HttpProbeOptions, httpProbe } from "./http-probe.js";
export type { HealthTarget, LivenessCheck, Probe, ProbeResult } from "./probe.js";
export { createRestartBudget, type RestartBudget, type RestartBudgetOptions } from "./restart-budget.js";
