import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { OrchestraError } from "@orchestra/core";
import {
  type DeviceWorker,
  defaultRegistryFile,
  listDeviceWorkers,
  scanWorkerProcesses,
} from "@orchestra/runtime";
import { type CheckResult, checkResult, plural } from "./check.js";
import { creatable } from "./writable-path.js";

const CLEANUP = "`orchestra workers cleanup` removes dead entries and stops orphaned workers";

/** Files the registry set aside (`registry.json.corrupt-…`, `registry.json.version-…`), oldest first. */
function setAsideFiles(file: string): string[] {
  const dir = dirname(file);
  if (!existsSync(dir)) return [];
  const prefix = `${basename(file)}.`;
  return readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && /^(corrupt|version-\d+)-/.test(n.slice(prefix.length)))
    .sort()
    .map((n) => join(dir, n));
}

const ids = (workers: readonly DeviceWorker[]) => workers.map((w) => w.entry.id).join(", ");

/**
 * `registry`: the device registry (`file`, default `$XDG_DATA_HOME/opencode/orchestra/registry.json`): entries
 * whose process is gone, live workers no live orchestrator accounts for (owner gone, or its lease
 * expired), live worker processes that name this registry but are not in it (found by their process
 * marker), and corrupt files set aside (now or earlier), whose workers no command can find.
 */
export async function checkRegistry(
  env: NodeJS.ProcessEnv,
  file: string = defaultRegistryFile(env),
): Promise<CheckResult> {
  if (!existsSync(file)) {
    const place = await creatable(file);
    if (!place.ok)
      return checkResult(
        "registry",
        "fail",
        `the device registry ${file} cannot be created: ${place.blockedBy} is not a writable directory, so no worker can be started`,
        "make that directory writable, or set XDG_DATA_HOME to a writable directory",
      );
  }
  const repairs: string[] = [];
  const repairedAside = new Set<string>();
  let workers: DeviceWorker[];
  try {
    workers = await listDeviceWorkers({
      registryFile: file,
      logger: {
        warn: (message, details) => {
          const aside = typeof details?.setAsideAs === "string" ? details.setAsideAs : undefined;
          if (aside !== undefined) repairedAside.add(aside);
          repairs.push(aside === undefined ? message : `${message} (set aside as ${aside})`);
        },
      },
    });
  } catch (error) {
    if (!OrchestraError.isInstance(error)) throw error;
    return checkResult("registry", "fail", error.message, error.hints.join("; ") || undefined);
  }
  const dead = workers.filter((w) => w.live === "dead");
  const unaccounted = workers.filter((w) => w.live === "alive-orphaned" || w.live === "expired");
  const aside = setAsideFiles(file).filter((f) => !repairedAside.has(f));
  // Live worker processes that name this registry (their marker) but are not in it (Linux: /proc).
  const listed = new Set(workers.map((w) => `${w.entry.pid}:${w.entry.processStartTime}`));
  const unlisted = scanWorkerProcesses(file).filter((e) => !listed.has(`${e.pid}:${e.processStartTime}`));
  const problems = [
    ...repairs,
    ...(dead.length
      ? [`${plural(dead.length, "dead entry", "dead entries")} (process gone): ${ids(dead)}`]
      : []),
    ...(unaccounted.length
      ? [
          `${plural(unaccounted.length, "live worker")} that no running orchestrator accounts for (owner gone or lease expired): ${ids(unaccounted)}`,
        ]
      : []),
    ...(unlisted.length
      ? [
          `${plural(unlisted.length, "live worker process", "live worker processes")} of this registry that it does not list (no command finds them): ${unlisted.map((e) => `${e.id} (pid ${e.pid})`).join(", ")}`,
        ]
      : []),
    ...(aside.length
      ? [
          `${plural(aside.length, "registry file")} set aside (corrupt or from another version): ${aside.join(", ")}; workers listed only there may still be running and no command finds them`,
        ]
      : []),
  ];
  if (problems.length > 0) {
    const hint = [
      CLEANUP,
      ...(aside.length || repairedAside.size
        ? [
            "then check the set-aside files for workers still running (their pids), stop those, and delete the files",
          ]
        : []),
      ...(unlisted.length
        ? [
            `stop the unlisted ones by process group: ${unlisted.map((e) => `kill -TERM -${e.pid}`).join("; ")}`,
          ]
        : []),
    ].join("; ");
    return checkResult("registry", "warn", [`${file}:`, ...problems].join("\n"), hint);
  }
  if (!existsSync(file))
    return checkResult("registry", "pass", `no device registry yet at ${file} (no worker has been started)`);
  return checkResult(
    "registry",
    "pass",
    `${file}: ${plural(workers.length, "worker")}, every one alive and accounted for`,
  );
}
