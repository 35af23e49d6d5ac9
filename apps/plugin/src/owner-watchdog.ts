import type { PluginInput } from "@opencode-ai/plugin";
import {
  isGroupAlive,
  killGroup,
  type OwnerWatchdog,
  ownerFromEnv,
  processDescendants,
  signalDescendants,
  watchOwner,
} from "@orchestra/process";
import { workerClient } from "@orchestra/runtime/worker";

/** How long the worker gives its own `instance.dispose()` before it signals itself. */
const DISPOSE_TIMEOUT_MS = 2_000;
/** How long after SIGTERM it SIGKILLs its group (OpenCode 1.18 dies at once on SIGTERM). */
const KILL_AFTER_MS = 3_000;

/** One watchdog per process: an instance that is disposed and re-initialised must not start a second. */
let running: OwnerWatchdog | undefined;

/**
 * Shut this worker server down from inside: dispose the instance through its own server (OpenCode
 * stops the bash-tool commands, which live in their own process groups), SIGKILL any descendant that
 * left our group anyway, then SIGTERM our group (OpenCode 1.18 has no SIGTERM handler: the process
 * ends at once), and SIGKILL it if it is still there.
 */
async function stopThisWorker(input: PluginInput, reason: string): Promise<void> {
  console.warn(`[open-orchestra] ${reason}: this worker stops itself`);
  const client = workerClient(
    input.serverUrl.toString().replace(/\/$/, ""),
    process.env.OPENCODE_SERVER_PASSWORD,
    input.directory,
  );
  await client.instance
    .dispose({}, { signal: AbortSignal.timeout(DISPOSE_TIMEOUT_MS) })
    .catch(() => undefined);
  // A worker is spawned detached, so it leads its own group, whose id is its pid.
  const pgid = process.pid;
  const leadsGroup = isGroupAlive(pgid);
  signalDescendants(
    processDescendants(pgid).filter((d) => d.pgid !== pgid),
    "SIGKILL",
  );
  setTimeout(() => {
    if (leadsGroup) killGroup(pgid, "SIGKILL");
    process.exit(1);
  }, KILL_AFTER_MS).unref();
  if (leadsGroup) killGroup(pgid, "SIGTERM");
  else process.kill(process.pid, "SIGTERM");
}

/**
 * In a process worker whose orchestrator handed it its identity (`ORCHESTRA_OWNER`, see
 * `ownerEnv` of `@orchestra/process`), watch that owner every 2 s and stop this worker once the
 * owner is gone (killed, crashed) without having stopped it. CLI-owned workers get no owner and are
 * not watched: they outlive the CLI by design.
 */
export function startOwnerWatchdog(input: PluginInput, env: NodeJS.ProcessEnv = process.env): void {
  const owner = ownerFromEnv(env);
  if (owner === undefined || running !== undefined) return;
  running = watchOwner({
    owner,
    onGone: () => stopThisWorker(input, `its orchestrator (pid ${owner.pid}) is gone`),
  });
}
