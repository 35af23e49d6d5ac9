import { realpath } from "node:fs/promises";
import type { RecoveryReport } from "../lifecycle/recovery.js";
import type { RegistryLogger } from "../registry/logger.js";
import type { DeviceRegistry } from "../registry/registry.js";
import { sweepWorktrees } from "./worktree-sweep.js";

/** Options of {@link withWorktreeSweep}. */
export interface RecoverySweepOptions {
  registry: DeviceRegistry;
  /** Only this project's repository (an orchestrator's recovery); default every repository (cleanup). */
  project?: string;
  /** Remove worktrees with changes too (`orchestra workers cleanup --worktrees`). */
  all?: boolean;
  logger: RegistryLogger;
}

/**
 * After recovery settled the workers: settle the worktrees of workers that are gone (see
 * `sweepWorktrees`; the workers still in the registry are alive), and add what was done to the report
 * as `worktrees`. A failure is logged; the report is returned without `worktrees`.
 */
export async function withWorktreeSweep(
  report: RecoveryReport,
  options: RecoverySweepOptions,
): Promise<RecoveryReport> {
  try {
    const alive = new Set((await options.registry.list()).map((e) => e.id));
    const project = options.project === undefined ? undefined : await realpath(options.project);
    const worktrees = await sweepWorktrees({
      alive,
      ...(project === undefined ? {} : { project }),
      ...(options.all ? { all: true } : {}),
    });
    return { ...report, worktrees };
  } catch (error) {
    options.logger.warn(`could not settle the workers' worktrees: ${(error as Error).message}`);
    return report;
  }
}
