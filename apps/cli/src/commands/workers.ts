import { homedir } from "node:os";
import { loadConfig } from "@orchestra/config";
import { fromEffective, toOpencodePermission } from "@orchestra/permissions";
import { resolveOpencodeBinary } from "@orchestra/process";
import {
  connectWorker,
  createOrchestra,
  type DeviceWorker,
  listDeviceWorkers,
  type RegistryEntry,
  RuntimeError,
} from "@orchestra/runtime";
import type { Command } from "commander";
import { millisecondsBetween } from "../arg-parsers.js";
import { EXIT } from "../exit.js";
import { loadProjectProfiles } from "../project-profiles.js";
import { UsageError } from "../usage-error.js";
import { ensureWorkersCommand } from "./workers-cleanup.js";
import { device, NEW_REGISTRY_OPTION, REGISTRY_OPTION } from "./workers-options.js";

function write(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

function describeEntries(entries: readonly RegistryEntry[]): string[] {
  return entries.map((e) => `${e.id} (${e.status})`);
}

/** A worker's live status: the recorded one, or `dead` when its process is gone. */
function liveStatus(worker: DeviceWorker): string {
  return worker.live === "dead" ? "dead" : worker.entry.status;
}

function requireEntry(entries: readonly RegistryEntry[], id: string): RegistryEntry {
  const entry = entries.find((e) => e.id === id);
  if (entry) return entry;
  const known = describeEntries(entries);
  throw new RuntimeError(
    "WORKER_NOT_FOUND",
    `no worker "${id}"; ${known.length ? `workers: ${known.join(", ")}` : "no workers are running"}`,
    {
      hints: [
        "list them with `orchestra workers list`, or start one with `orchestra workers spawn <profile>`",
      ],
    },
  );
}

/** Print `orchestra workers list` as a table. */
function listTable(rows: readonly ListRow[]): string {
  const header = ["id", "status", "health", "kind", "pid", "owner", "model", "url"];
  const cells = rows.map((r) => [
    r.id,
    r.status,
    r.health,
    r.kind,
    String(r.pid),
    r.owner,
    r.model ?? "-",
    r.url ?? "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const notes = rows
    .filter((r) => r.healthReason !== null && r.health !== "dead")
    .map((r) => `${r.id}: ${r.health}: ${r.healthReason}`);
  return [line(header), ...cells.map(line), ...(notes.length ? ["", ...notes] : [])].join("\n");
}

/** One row of `orchestra workers list`. */
interface ListRow {
  id: string;
  status: string;
  health: string;
  healthReason: string | null;
  kind: string;
  profile: string;
  pid: number;
  url: string | null;
  model: string | null;
  owner: string;
}

/** `orchestra workers spawn|list|ask|stop` (`cleanup` is registered by workers-cleanup.ts). */
export function registerWorkersCommand(program: Command): void {
  const workers = ensureWorkersCommand(program);

  workers
    .command("spawn <profile>")
    .description(
      "Start a process worker that outlives this command (stop it with `orchestra workers stop`). Interrupted (SIGINT/SIGTERM) before it is ready, it stops the worker and removes its registry entry.",
    )
    .option("--model <ref>", "model override: provider/model, an alias or an auto:* tag")
    .option("--json", "print one JSON object: { id, kind, pid, url, model }")
    .option(...NEW_REGISTRY_OPTION)
    .action(async (profileId: string, options: { model?: string; json?: boolean; registry?: string }) => {
      const directory = process.cwd();
      // The same config and profiles as `orchestra profiles`, `suggest` and `permissions check`.
      const { loaded, registry: profiles } = await loadProjectProfiles({ project: directory });
      const orchestra = await createOrchestra({
        config: loaded.config,
        directory,
        profiles,
        owner: "cli",
        // $ORCHESTRA_OPENCODE_BIN, the opencode-ai package (project, then beside the CLI), then PATH.
        binary: resolveOpencodeBinary({
          env: process.env,
          fallbackFrom: [import.meta.dirname],
          searchPath: true,
        }),
        // Workers load the plugin, which in a worker only enforces the worker's profile.
        workerPlugins: [import.meta.resolve("@orchestra/plugin")],
        opencodePermission: (profile) =>
          toOpencodePermission(fromEffective(profile.permissions), { cwd: directory, home: homedir() }),
        ...device(options),
        // SIGINT/SIGTERM before the worker is handed over: stop it (and the catalog server), remove
        // its entry, exit 128 + signal.
        handleSignals: true,
      });
      const worker = await orchestra.spawn(profileId, {
        kind: "process",
        ...(options.model === undefined ? {} : { model: options.model }),
        onProgress: (p) => process.stderr.write(`  ${p.workerId}: ${p.message}\n`),
      });
      // The worker outlives us: let go without stopping it.
      await orchestra.detach();
      const { id, kind, pid, url, model } = worker;
      await write(
        options.json
          ? `${JSON.stringify({ id, kind, pid, url, model })}\n`
          : `id     ${id}\nkind   ${kind}\npid    ${pid}\nurl    ${url}\nmodel  ${model}\nAsk it: orchestra workers ask ${id} "<message>"\n`,
      );
      process.exit(EXIT.ok);
    });

  workers
    .command("list")
    .description(
      "List the workers in the device registry (this user's, from every orchestrator and the CLI), with each one's status and its health now: every live process worker's server is probed (GET /global/health), so a hung worker shows `suspect` however long it has been `ready`.",
    )
    .option(
      "--json",
      "print a JSON array of workers, each with id, status, health (healthy, suspect, misconfigured, dead or unknown) and healthReason",
    )
    .option(...REGISTRY_OPTION)
    .option(
      "--probe-timeout <ms>",
      "how long each worker's server may take to answer, in ms",
      millisecondsBetween(1, 60_000),
      3_000,
    )
    .action(async (options: { json?: boolean; registry?: string; probeTimeout: number }) => {
      const found = await listDeviceWorkers({
        ...device(options),
        probe: true,
        probeTimeoutMs: options.probeTimeout,
      });
      const rows: ListRow[] = found.map((w) => ({
        id: w.entry.id,
        status: liveStatus(w),
        health: w.health?.state ?? "unknown",
        healthReason: w.health?.reason ?? null,
        kind: w.entry.kind,
        profile: w.entry.profile,
        pid: w.entry.pid,
        url: w.entry.url,
        model: w.entry.model ?? null,
        owner: w.entry.owner.kind,
      }));
      if (options.json) {
        await write(`${JSON.stringify(rows)}\n`);
        return;
      }
      if (rows.length === 0) {
        await write("No workers. Start one with `orchestra workers spawn <profile>`.\n");
        return;
      }
      await write(`${listTable(rows)}\n`);
    });

  workers
    .command("ask <id> <message>")
    .description("Send a message to a process worker and print its answer.")
    .option(
      "--timeout <ms>",
      "give up after this many milliseconds",
      millisecondsBetween(1, 24 * 3_600_000),
      600_000,
    )
    .option(...REGISTRY_OPTION)
    .action(async (id: string, message: string, options: { timeout: number; registry?: string }) => {
      if (message.trim() === "")
        throw new UsageError("the message is empty", {
          hints: ['give the worker something to do: orchestra workers ask <id> "<message>"'],
        });
      const entries = (await listDeviceWorkers(device(options))).map((w) => w.entry);
      // modelSelection.maxConcurrent: the ask waits its turn with every other process of the user.
      const { config } = await loadConfig({ projectDir: process.cwd() });
      const worker = await connectWorker(requireEntry(entries, id), {
        ...device(options),
        maxConcurrent: config.modelSelection.maxConcurrent,
      });
      const answer = await worker.ask(message, {
        timeoutMs: options.timeout,
        // At once, then every 5 s: what the worker is doing, so a long ask is never silent.
        onProgress: (p) =>
          process.stderr.write(
            `waiting for ${p.workerId}: ${p.activity} (${Math.round(p.elapsedMs / 1000)} s)\n`,
          ),
      });
      await write(`${answer.text}\n`);
    });

  workers
    .command("stop [id]")
    .description(
      "Stop a worker (or every worker with --all): dispose its instance, then SIGTERM/SIGKILL its process group.",
    )
    .option("--all", "stop every process worker in the registry")
    .option("--grace <ms>", "SIGTERM → SIGKILL grace, in ms", millisecondsBetween(0, 60_000), 5_000)
    .option(...REGISTRY_OPTION)
    .action(async (id: string | undefined, options: { all?: boolean; grace: number; registry?: string }) => {
      if ((id === undefined) === (options.all !== true)) {
        throw new UsageError("give a worker id or --all (not both)");
      }
      const entries = (await listDeviceWorkers(device(options))).map((w) => w.entry);
      const targets = options.all
        ? entries.filter((e) => e.kind === "process")
        : [requireEntry(entries, id ?? "")];
      if (targets.length === 0) {
        await write("No process workers to stop.\n");
        return;
      }
      for (const entry of targets) {
        const outcome = await (await connectWorker(entry, device(options))).stop(options.grace);
        await write(
          `stopped ${entry.id} (${outcome === "exited" ? "its process was already gone" : outcome})\n`,
        );
      }
    });
}
