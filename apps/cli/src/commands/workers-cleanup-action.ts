import { cleanupWorkers, formatRecoveryReport } from "@orchestra/runtime";
import { EXIT } from "../exit.js";
import { device } from "./workers-options.js";

/** The options of `orchestra workers cleanup`. */
export interface CleanupOptions {
  json?: boolean;
  registry?: string;
  manifest?: string;
  grace: number;
  /** Also remove worktrees with unmerged changes (and their branches). */
  worktrees?: boolean;
}

/** `orchestra workers cleanup`: run the recovery protocol and print what it found and did. */
export async function runCleanup(options: CleanupOptions): Promise<void> {
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };
  const report = await cleanupWorkers({
    ...device(options),
    ...(options.manifest ? { manifestFile: options.manifest } : {}),
    graceMs: options.grace,
    ...(options.worktrees ? { worktrees: true } : {}),
    logger,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...report, warnings })}\n`);
  } else {
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`${formatRecoveryReport(report)}\n`);
  }
  process.exitCode = EXIT.ok;
}
