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
import { EXIT } from "../exit.js";
import { loadProjectProfiles } from "../project-profiles.js";
import { terminalSafe } from "../terminal-text.js";
import { UsageError } from "../usage-error.js";
import { nameCancelled } from "./workers-cancelled.js";
import { device } from "./workers-options.js";
import { type StopRow, stopLines, stopRow } from "./workers-stop-report.js";
import { streamPrinter } from "./workers-stream-print.js";

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

/** Text made safe for one line of the terminal: no escape sequence or control character, no line break. */
const oneLineSafe = (text: string): string => terminalSafe(text).replace(/[\r\n\t]+/g, " ");

/** Print `orchestra workers list` as a table. */
function listTable(rows: readonly ListRow[]): string {
  const header = ["id", "status", "health", "kind", "pid", "owner", "model", "url"];
  // The registry is shared by every process of the user: nothing in it reaches the terminal raw.
  const cells = rows.map((r) =>
    [r.id, r.status, r.health, r.kind, String(r.pid), r.owner, r.model ?? "-", r.url ?? "-"].map(oneLineSafe),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const notes = rows
    .filter((r) => r.healthReason !== null && r.health !== "dead")
    .map((r) => oneLineSafe(`${r.id}: ${r.health}: ${r.healthReason}`));
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

/** The options of `orchestra workers spawn`. */
export interface SpawnOptions {
  model?: string;
  json?: boolean;
  registry?: string;
}

/** The options of `orchestra workers list`. */
export interface ListOptions {
  json?: boolean;
  registry?: string;
  probeTimeout: number;
}

/** The options of `orchestra workers ask`. */
export interface AskOptions {
  timeout: number;
  registry?: string;
  /** Print the worker's text as it arrives (stdout), tool starts and ends on stderr. */
  stream?: boolean;
  /** Print the answer as one JSON object (a failure: the one failure object). */
  json?: boolean;
}

/** The options of `orchestra workers stop`. */
export interface StopOptions {
  all?: boolean;
  grace: number;
  registry?: string;
  /** One JSON object per worker (an array with `--all`), with a worktree worker's branch, changed and files. */
  json?: boolean;
}

/** `orchestra workers spawn`: start a process worker that outlives the command, print it, exit 0. */
export async function runSpawn(profileId: string, options: SpawnOptions): Promise<void> {
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
    opencodePermission: (profile, place) =>
      toOpencodePermission(fromEffective(profile.permissions), {
        cwd: place?.directory ?? directory,
        ...(place ? { worktree: place.worktree } : {}),
        home: homedir(),
      }),
    ...device(options),
    // SIGINT/SIGTERM before the worker is handed over: stop it (and the catalog server), remove
    // its entry, exit 128 + signal.
    handleSignals: true,
  });
  // A dollar budget over a model with unknown prices: a warning at spawn, not a silent pass.
  orchestra.on("budget:warning", (warning) => process.stderr.write(`warning: ${warning.message}\n`));
  const worker = await orchestra.spawn(profileId, {
    kind: "process",
    ...(options.model === undefined ? {} : { model: options.model }),
    onProgress: (p) => process.stderr.write(`  ${oneLineSafe(`${p.workerId}: ${p.message}`)}\n`),
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
}

/** `orchestra workers list`: every worker of the device registry with its health now, as a table or JSON. */
export async function runList(options: ListOptions): Promise<void> {
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
}

/** `orchestra workers ask`: send a message to a process worker and print its answer. */
export async function runAsk(id: string, message: string, options: AskOptions): Promise<void> {
  if (message.trim() === "")
    throw new UsageError("the message is empty", {
      hints: ['give the worker something to do: orchestra workers ask <id> "<message>"'],
    });
  if (options.stream && options.json)
    throw new UsageError("--stream and --json cannot be combined: --stream prints text as it arrives", {
      hints: ["use --json for one JSON object with the whole answer, or --stream for text as it arrives"],
    });
  const entries = (await listDeviceWorkers(device(options))).map((w) => w.entry);
  // modelSelection.maxConcurrent: the ask waits its turn with every other process of the user.
  const { config } = await loadConfig({ projectDir: process.cwd() });
  const worker = await connectWorker(requireEntry(entries, id), {
    ...device(options),
    maxConcurrent: config.modelSelection.maxConcurrent,
    // budgets: the ask is held to the worker's profile budget (BUDGET_EXCEEDED), warnings on stderr.
    budgets: config.budgets,
  });
  if (options.stream) {
    const printer = streamPrinter();
    await worker
      .ask(message, { timeoutMs: options.timeout, onStream: printer.onStream })
      .finally(printer.end)
      .catch(nameCancelled);
    await printer.flushed();
    return;
  }
  if (options.json) {
    await write(`${JSON.stringify(await worker.ask(message, { timeoutMs: options.timeout }))}\n`);
    return;
  }
  const answer = await worker
    .ask(message, {
      timeoutMs: options.timeout,
      // At once, then every 5 s: what the worker is doing, so a long ask is never silent.
      onProgress: (p) =>
        process.stderr.write(
          `waiting for ${p.workerId}: ${terminalSafe(p.activity)} (${Math.round(p.elapsedMs / 1000)} s)\n`,
        ),
    })
    .catch(nameCancelled);
  await write(`${terminalSafe(answer.text)}\n`);
}

/** `orchestra workers stop`: stop one worker, or every process worker with `--all`. */
export async function runStop(id: string | undefined, options: StopOptions): Promise<void> {
  if ((id === undefined) === (options.all !== true)) {
    throw new UsageError("give a worker id or --all (not both)");
  }
  const entries = (await listDeviceWorkers(device(options))).map((w) => w.entry);
  const targets = options.all
    ? entries.filter((e) => e.kind === "process")
    : [requireEntry(entries, id ?? "")];
  if (targets.length === 0) {
    await write(options.json ? "[]\n" : "No process workers to stop.\n");
    return;
  }
  const rows: StopRow[] = [];
  for (const entry of targets) {
    const outcome = await (await connectWorker(entry, device(options))).stop(options.grace);
    const row = await stopRow(entry, outcome);
    rows.push(row);
    if (!options.json) await write(`${stopLines(row)}\n`);
  }
  if (options.json) await write(`${JSON.stringify(options.all ? rows : rows[0])}\n`);
}
