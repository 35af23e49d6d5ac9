import { isSameProcess } from "@orchestra/process";
import { salvageEntries } from "./salvage.js";
import type { RegistryEntry } from "./schema.js";
import { scanWorkerProcesses } from "./worker-scan.js";

/** What could be recovered from a corrupt registry file, and the warning that says so. */
interface CorruptRecovery {
  /** The entries the fresh registry starts with. */
  entries: RegistryEntry[];
  /** One paragraph for the registry's logger: the set-aside file, the workers, how to stop them. */
  message: string;
}

/**
 * Recovers the workers of a corrupt registry file so that none is orphaned: the entries still
 * readable in its text (`raw`, now set aside as `aside`), then the running process workers of
 * `file` found by their process marker ({@link scanWorkerProcesses}) that the text did not name.
 * A scanned worker replaces a salvaged entry of the same id only when that entry's process is gone.
 */
export function recoverCorruptRegistry(
  raw: string,
  file: string,
  aside: string,
  reason: string,
): CorruptRecovery {
  const entries = salvageEntries(raw);
  const fromFile = entries.length;
  let fromProcesses = 0;
  for (const found of scanWorkerProcesses(file)) {
    if (entries.some((e) => e.pid === found.pid && e.processStartTime === found.processStartTime)) continue;
    const sameId = entries.findIndex((e) => e.id === found.id);
    const existing = entries[sameId];
    if (existing !== undefined && isSameProcess(existing.pid, existing.processStartTime)) continue;
    if (existing !== undefined) entries[sameId] = found;
    else entries.push(found);
    fromProcesses += 1;
  }
  const head = `the device registry was corrupt (${reason}); moved it aside as ${aside}.`;
  if (entries.length === 0) {
    return {
      entries,
      message: `${head} The registry starts empty (its file is written again when a worker is recorded). No worker could be read from it, and no running worker of this registry was found by its process marker. If a worker it listed still runs elsewhere, it is an \`opencode serve\` process with ORCHESTRA_WORKER=1 in its environment: stop its process group with \`kill -TERM -<pid>\`.`,
    };
  }
  const sources = [
    ...(fromFile > 0 ? [`${fromFile} read from that file`] : []),
    ...(fromProcesses > 0 ? [`${fromProcesses} found running by their process marker`] : []),
  ].join(", ");
  const named = entries.map((e) => `${e.id} (pid ${e.pid})`).join(", ");
  const one = entries.length === 1;
  return {
    entries,
    message: `${head} A new registry holds what was recovered: ${entries.length} ${one ? "worker" : "workers"} (${sources}), which may still be running: ${named}. \`orchestra workers list\` shows ${one ? "it" : "them"}; \`orchestra workers stop <id>\` (or \`--all\`) stops ${one ? "it" : "them"}.`,
  };
}
