import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { isSameProcess, terminateGroup } from "@orchestra/process";
import { classifyEntry } from "../registry/classify.js";
import type { RegistryLogger } from "../registry/logger.js";
import { deleteManifest, readManifest } from "../registry/manifest.js";
import { verifyPassword } from "../registry/password-hash.js";
import type { DeviceRegistry } from "../registry/registry.js";
import type { ManifestWorker, RegistryEntry, RegistryOwner } from "../registry/schema.js";
import type { Worker } from "../workers/worker.js";
import type { WorktreeSweep } from "../worktree/worktree-sweep.js";
import {
  killLeftoverGroup,
  proveProcessWorker,
  reconnectedProcessWorker,
  reconnectedSessionWorker,
  stopEntryProcess,
} from "./reconnect.js";
import { deriveWorkerPassword } from "./worker-secret.js";

/** One worker recovery acted on, or left alone, and why. */
interface RecoveryItem {
  id: string;
  kind: "process" | "session";
  pid: number;
  reason: string;
}

/** What `recoverWorkers` found and did. */
export interface RecoveryReport {
  /** Registry entries plus manifest-only workers examined. */
  found: number;
  /** Live workers that proved to be ours and were handed to `adopt`. */
  reconnected: RecoveryItem[];
  /** Worker process groups stopped (SIGTERM, then SIGKILL after the grace period). */
  killed: RecoveryItem[];
  /** Registry entries removed (their process is gone, or it was killed). */
  removed: RecoveryItem[];
  /** Entries left alone: live CLI-owned workers, workers of a live orchestrator. */
  setAside: RecoveryItem[];
  /** Whether a recovery manifest was found (and deleted). */
  manifest: boolean;
  /**
   * The worktrees of gone workers (`isolation: worktree`): kept when they hold changes not in the
   * project's HEAD, removed with their branch otherwise. Absent when not swept.
   */
  worktrees?: WorktreeSweep;
}

/** Options of `recoverWorkers`. */
export interface RecoveryOptions {
  registry: DeviceRegistry;
  /** The identity recovery claims entries with (this orchestrator or CLI). */
  owner: RegistryOwner;
  /** The recovery manifest file (default: `defaultManifestFile()`). */
  manifestFile?: string;
  /** The per-user worker secret; without it nothing can prove to be ours, so nothing reconnects. */
  secret?: Buffer;
  /**
   * Take a live worker that proved to be ours (add it to a worker pool). Without `adopt`
   * (`orchestra workers cleanup`) orphaned workers are killed. Return false to refuse it.
   */
  adopt?: (worker: Worker, entry: RegistryEntry) => boolean | Promise<boolean>;
  /** Reconnect only workers serving this project directory; the others are killed. */
  directory?: string;
  /** Our host OpenCode server, for session workers that lived on it. */
  host?: { pid: number; client: OpencodeClient };
  /** SIGTERM → SIGKILL grace when killing, in ms (default 5 000). */
  graceMs?: number;
  /** Timeout of the reconnect proof request, in ms (default 3 000). */
  probeTimeoutMs?: number;
  logger?: RegistryLogger;
  now?: () => number;
}

type Plan =
  | { action: "reconnect-process"; entry: RegistryEntry }
  | { action: "reconnect-session"; entry: RegistryEntry }
  | { action: "kill"; entry: RegistryEntry; reason: string };

function item(
  entry: { id: string; pid: number; kind?: "process" | "session" },
  reason: string,
): RecoveryItem {
  return { id: entry.id, kind: entry.kind ?? "process", pid: entry.pid, reason };
}

/**
 * Entries recorded in a state that makes a worker unsafe to hand out after its owner is gone:
 * stopped instead of reconnected, with this reason.
 */
const UNSAFE_TO_ADOPT: Partial<Record<RegistryEntry["status"], string>> = {
  starting: "it was still starting (a half-started worker is never reconnected)",
  busy: "it was leased (mid-task) when its owner stopped, so its state is unknown; it is never handed out again",
};

const ownerAlive = (entry: RegistryEntry) => isSameProcess(entry.owner.pid, entry.owner.startTime);

function sameOwner(a: RegistryOwner, b: RegistryOwner): boolean {
  return a.pid === b.pid && a.startTime === b.startTime;
}

/**
 * Recovery on start, and `orchestra workers cleanup`. Reads the recovery manifest and the
 * device registry, then for every worker decides by whether its owner is alive (pid + start
 * time):
 * - **dead** (process gone or pid reused): the entry is removed; the pid is never signalled
 *   (only a leftover process group whose leader is gone is SIGKILLed).
 * - **alive, owned by a live orchestrator**, or **alive and CLI-owned**: set aside, untouched.
 * - **alive, owner dead, or expired, recorded `starting` or `busy`** (spawned, or leased, when
 *   its owner died; a CLI-owned one too when it was still `starting`): claimed and stopped, never
 *   reconnected: a half-started or mid-task worker is not handed out again.
 * - **alive, owner dead, or expired**: claimed under the registry lock (so two orchestrators
 *   starting at once never both take it), then reconnected when it proves to be ours (its
 *   password, derived from the per-user secret, matches the stored hash and opens its session)
 *   and `adopt` takes it; otherwise its process group is stopped and the entry removed. A
 *   session worker's pid is its host OpenCode server: it is never signalled; the entry is dropped
 *   unless the session lives on our own host and is adopted.
 * - **in the manifest but not in the registry** (a lost or corrupt registry): killed when pid +
 *   start time still identify it.
 *
 * Finally the manifest is deleted.
 */
export async function recoverWorkers(options: RecoveryOptions): Promise<RecoveryReport> {
  const { registry, owner } = options;
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? 5_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
  const manifestOptions = {
    ...(options.manifestFile === undefined ? {} : { file: options.manifestFile }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  const report: RecoveryReport = {
    found: 0,
    reconnected: [],
    killed: [],
    removed: [],
    setAside: [],
    manifest: false,
  };
  const manifest = await readManifest(manifestOptions);
  report.manifest = manifest !== undefined;

  const plans: Plan[] = [];
  const leftovers: RegistryEntry[] = [];
  const registryIds = new Set<string>();
  await registry.transact((entries) => {
    const at = now();
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i] as RegistryEntry;
      registryIds.add(entry.id);
      const verdict = classifyEntry(entry, at);
      if (verdict === "dead") {
        entries.splice(i, 1);
        report.removed.push(item(entry, "its process is gone (or its pid now belongs to another process)"));
        if (entry.kind === "process") leftovers.push(entry);
        continue;
      }
      if (verdict === "cli-owned-alive" && !(entry.status === "starting" && !ownerAlive(entry))) {
        report.setAside.push(item(entry, "CLI-owned and alive: only `orchestra workers stop` removes it"));
        continue;
      }
      if (verdict === "alive-owned") {
        report.setAside.push(
          item(
            entry,
            sameOwner(entry.owner, owner)
              ? "owned by this orchestrator"
              : `owned by the live orchestrator pid ${entry.owner.pid}`,
          ),
        );
        continue;
      }
      // alive-orphaned or expired: claim it, so that no other recovery acts on it too.
      const orphanReason =
        verdict === "expired"
          ? `its owner pid ${entry.owner.pid} stopped renewing it`
          : `its owner pid ${entry.owner.pid} is gone`;
      if (entry.kind === "session") {
        if (options.adopt && options.host && entry.pid === options.host.pid) {
          entries[i] = { ...entry, owner: { ...owner }, status: "orphaned", renewedAt: at };
          plans.push({ action: "reconnect-session", entry: entries[i] as RegistryEntry });
        } else {
          entries.splice(i, 1);
          report.removed.push(item(entry, `${orphanReason}; a session worker's host is never signalled`));
        }
        continue;
      }
      entries[i] = { ...entry, owner: { ...owner }, status: "orphaned", renewedAt: at };
      const claimed = entries[i] as RegistryEntry;
      const sameDirectory = options.directory === undefined || options.directory === entry.directory;
      const unsafe = UNSAFE_TO_ADOPT[entry.status];
      if (unsafe !== undefined) {
        plans.push({ action: "kill", entry: claimed, reason: `${orphanReason}; ${unsafe}` });
      } else if (options.adopt && verdict === "alive-orphaned" && sameDirectory) {
        plans.push({ action: "reconnect-process", entry: claimed });
      } else {
        plans.push({
          action: "kill",
          entry: claimed,
          reason: options.adopt
            ? verdict === "expired"
              ? `${orphanReason}; an expired worker is not reconnected`
              : `${orphanReason}; it serves another project (${entry.directory})`
            : orphanReason,
        });
      }
    }
  });
  report.found = registryIds.size;
  report.removed.reverse();

  const manifestOnly: ManifestWorker[] = (manifest?.workers ?? []).filter((w) => !registryIds.has(w.id));
  report.found += manifestOnly.length;

  const passwordOf = (entry: RegistryEntry): string | undefined => {
    if (options.secret === undefined || entry.passwordHash === undefined) return undefined;
    const password = deriveWorkerPassword(options.secret, entry.id, entry.createdAt);
    return verifyPassword(password, entry.passwordHash) ? password : undefined;
  };

  const kill = async (entry: RegistryEntry, reason: string) => {
    const password = passwordOf(entry);
    const outcome = await stopEntryProcess(entry, graceMs, password);
    if (outcome === "terminated" || outcome === "killed") report.killed.push(item(entry, reason));
    await registry.remove(entry.id);
    report.removed.push(
      item(
        entry,
        outcome === "terminated" || outcome === "killed" ? `killed: ${reason}` : "its process is gone",
      ),
    );
  };

  await Promise.all(
    plans.map(async (plan) => {
      const { entry } = plan;
      if (plan.action === "kill") return kill(entry, plan.reason);
      if (plan.action === "reconnect-session") {
        const host = options.host;
        const worker = host ? reconnectedSessionWorker(entry, host.client) : undefined;
        const alive =
          worker && host
            ? await host.client.session
                .get({ sessionID: entry.sessionId ?? "" }, { signal: AbortSignal.timeout(probeTimeoutMs) })
                .then((r) => r.data !== undefined)
                .catch(() => false)
            : false;
        if (worker && alive && (await options.adopt?.(worker, entry))) {
          await registry.update(entry.id, { status: "ready", renewedAt: now() });
          report.reconnected.push(item(entry, "its session lives on on our host server"));
        } else {
          await registry.remove(entry.id);
          report.removed.push(item(entry, "its session is gone from our host server"));
        }
        return;
      }
      const password = passwordOf(entry);
      if (password === undefined)
        return kill(
          entry,
          "not provably ours: no password derivable from this user's secret matches its hash",
        );
      const proof = await proveProcessWorker(entry, password, probeTimeoutMs);
      if (!proof.ok) return kill(entry, `not provably ours: ${proof.reason}`);
      const worker = reconnectedProcessWorker(entry, password);
      if (!worker) return kill(entry, "its entry lacks the model or session needed to drive it");
      if (!isSameProcess(entry.pid, entry.processStartTime)) return kill(entry, "it exited during recovery");
      if (!(await options.adopt?.(worker, entry))) return kill(entry, "the orchestrator refused it");
      await registry.update(entry.id, { status: "ready", renewedAt: now(), owner: { ...owner } });
      report.reconnected.push(item(entry, "alive, and its server accepted our derived password"));
    }),
  );

  for (const entry of leftovers) {
    if (killLeftoverGroup(entry))
      report.killed.push(item(entry, "its server is gone but processes of its group were left"));
  }
  await Promise.all(
    manifestOnly.map(async (w) => {
      if (w.pgid === null || !isSameProcess(w.pid, w.processStartTime)) return;
      const outcome = await terminateGroup(w.pgid, graceMs);
      if (outcome !== "exited")
        report.killed.push(
          item(w, "in the recovery manifest but not in the registry (lost or corrupt registry)"),
        );
    }),
  );
  if (manifest !== undefined) await deleteManifest(manifestOptions);
  return report;
}

/** A short human-readable summary of a {@link RecoveryReport}, one line per action. */
export function formatRecoveryReport(report: RecoveryReport): string {
  const lines = [
    `found ${report.found} worker${report.found === 1 ? "" : "s"}${report.manifest ? " (recovery manifest present)" : ""}`,
  ];
  const section = (title: string, items: RecoveryItem[]) => {
    for (const i of items) lines.push(`${title.padEnd(11)} ${i.id} (${i.kind}, pid ${i.pid}): ${i.reason}`);
  };
  section("reconnected", report.reconnected);
  section("killed", report.killed);
  section("removed", report.removed);
  section("set aside", report.setAside);
  for (const w of report.worktrees?.kept ?? [])
    lines.push(`kept       worktree ${w.path} (${w.branch}, ${w.files.length} file(s) changed): ${w.reason}`);
  for (const w of report.worktrees?.removed ?? [])
    lines.push(
      `removed    worktree ${w.path} (${w.branch}${w.tip ? ` was ${w.tip.slice(0, 12)}` : ""}): ${w.reason}`,
    );
  if (lines.length === 1) lines.push("nothing to do");
  return lines.join("\n");
}
