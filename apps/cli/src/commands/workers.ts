import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { loadConfig } from "@orchestra/config";
import { fromEffective, toOpencodePermission } from "@orchestra/permissions";
import { loadProfileRegistry } from "@orchestra/profiles";
import type { OpencodeProviderList } from "@orchestra/resolver";
import {
  classifyEntry,
  createWorkerLifecycle,
  defaultSecretFile,
  deriveWorkerPassword,
  loadWorkerSecret,
  Orchestrator,
  openRegistry,
  parseModelRef,
  type RegistryEntry,
  RuntimeError,
  spawnServerProcess,
  stopEntryProcess,
  terminateGroup,
  verifyPassword,
  WORKER_AGENT,
  workerClient,
} from "@orchestra/runtime";
import type { Command } from "commander";
import { EXIT } from "../exit.js";
import { ensureWorkersCommand } from "./workers-cleanup.js";

/** The `opencode` binary: $ORCHESTRA_OPENCODE_BIN, the `opencode-ai` package, then `opencode` on PATH. */
export function resolveOpencodeBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ORCHESTRA_OPENCODE_BIN) return env.ORCHESTRA_OPENCODE_BIN;
  try {
    const pkg = createRequire(join(process.cwd(), "noop.js")).resolve("opencode-ai/package.json");
    const bin = join(dirname(pkg), "bin", "opencode.exe");
    if (existsSync(bin)) return bin;
  } catch {
    // not installed in the project
  }
  try {
    const pkg = createRequire(import.meta.url).resolve("opencode-ai/package.json");
    const bin = join(dirname(pkg), "bin", "opencode.exe");
    if (existsSync(bin)) return bin;
  } catch {
    // not installed beside the CLI
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "opencode"))) return join(dir, "opencode");
  }
  throw new RuntimeError("WORKER_OPENCODE_NOT_FOUND", "no opencode binary found", {
    hints: ["install it (npm i -g opencode-ai) or set ORCHESTRA_OPENCODE_BIN=/path/to/opencode"],
  });
}

/** The model catalog, read from a short-lived `opencode serve` in the project (the CLI has no host). */
async function temporaryCatalog(binary: string, directory: string): Promise<OpencodeProviderList> {
  const server = await spawnServerProcess({ binary, cwd: directory, env: process.env, timeoutMs: 60_000 });
  try {
    const res = await fetch(`${server.url}/provider`, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new RuntimeError("WORKER_UNAVAILABLE", `GET /provider answered HTTP ${res.status}`);
    return (await res.json()) as OpencodeProviderList;
  } finally {
    await terminateGroup(server.pid, 2_000);
  }
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

function describeEntries(entries: readonly RegistryEntry[]): string[] {
  return entries.map((e) => `${e.id} (${e.status})`);
}

/** An entry's live status: the recorded one, or `dead` when its process is gone. */
function liveStatus(entry: RegistryEntry): string {
  return classifyEntry(entry) === "dead" ? "dead" : entry.status;
}

async function passwordFor(entry: RegistryEntry): Promise<string | undefined> {
  if (!existsSync(defaultSecretFile())) return undefined;
  const password = deriveWorkerPassword(await loadWorkerSecret(), entry.id, entry.createdAt);
  return entry.passwordHash && verifyPassword(password, entry.passwordHash) ? password : undefined;
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

/** `orchestra workers spawn|list|ask|stop` (`cleanup` is registered by workers-cleanup.ts). */
export function registerWorkersCommand(program: Command): void {
  const workers = ensureWorkersCommand(program);

  workers
    .command("spawn <profile>")
    .description("Start a process worker that outlives this command (stop it with `orchestra workers stop`).")
    .option("--model <ref>", "model override: provider/model, an alias or an auto:* tag")
    .option("--json", "print one JSON object: { id, kind, pid, url, model }")
    .action(async (profileId: string, options: { model?: string; json?: boolean }) => {
      const directory = process.cwd();
      const loaded = await loadConfig({ projectDir: directory });
      const profiles = await loadProfileRegistry({
        projectDir: directory,
        config: { profiles: loaded.config.profiles },
      });
      const binary = resolveOpencodeBinary();
      const lifecycle = await createWorkerLifecycle({ config: loaded.config, directory, owner: "cli" });
      const orchestra = new Orchestrator({
        config: loaded.config,
        directory,
        profiles,
        binary,
        catalog: () => temporaryCatalog(binary, directory),
        // Workers load the plugin, which in a worker only enforces the worker's profile.
        workerPlugins: [import.meta.resolve("@orchestra/plugin")],
        hooks: {
          ...lifecycle.hooks,
          opencodePermission: (profile) =>
            toOpencodePermission(fromEffective(profile.permissions), { cwd: directory, home: homedir() }),
        },
      });
      lifecycle.attach(orchestra);
      const worker = await orchestra.spawn(profileId, {
        kind: "process",
        ...(options.model === undefined ? {} : { model: options.model }),
        onProgress: (p) => process.stderr.write(`  ${p.workerId}: ${p.message}\n`),
      });
      await lifecycle.detach();
      const { id, kind, pid, url, model } = worker.info;
      await write(
        options.json
          ? `${JSON.stringify({ id, kind, pid, url, model })}\n`
          : `id     ${id}\nkind   ${kind}\npid    ${pid}\nurl    ${url}\nmodel  ${model}\nAsk it: orchestra workers ask ${id} "<message>"\n`,
      );
      // The worker outlives us: leave without stopping it.
      process.exit(EXIT.ok);
    });

  workers
    .command("list")
    .description(
      "List the workers in the device registry (this user's, from every orchestrator and the CLI).",
    )
    .option("--json", "print a JSON array of workers, each with id and status")
    .action(async (options: { json?: boolean }) => {
      const entries = await openRegistry().list();
      const rows = entries.map((e) => ({
        id: e.id,
        status: liveStatus(e),
        kind: e.kind,
        profile: e.profile,
        pid: e.pid,
        url: e.url,
        model: e.model ?? null,
        owner: e.owner.kind,
      }));
      if (options.json) {
        await write(`${JSON.stringify(rows)}\n`);
        return;
      }
      if (rows.length === 0) {
        await write("No workers. Start one with `orchestra workers spawn <profile>`.\n");
        return;
      }
      const header = ["id", "status", "kind", "pid", "owner", "model", "url"];
      const cells = rows.map((r) => [
        r.id,
        r.status,
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
      await write(`${[line(header), ...cells.map(line)].join("\n")}\n`);
    });

  workers
    .command("ask <id> <message>")
    .description("Send a message to a process worker and print its answer.")
    .option("--timeout <ms>", "give up after this many milliseconds", (v) => Number(v), 600_000)
    .action(async (id: string, message: string, options: { timeout: number }) => {
      const entry = requireEntry(await openRegistry().list(), id);
      if (entry.kind !== "process" || entry.url === null || entry.sessionId === undefined) {
        throw new RuntimeError(
          "WORKER_UNAVAILABLE",
          `worker "${id}" is a session worker of an orchestrator`,
          {
            hints: ["ask it from that OpenCode session with ask_worker"],
          },
        );
      }
      if (liveStatus(entry) === "dead") {
        throw new RuntimeError("WORKER_UNAVAILABLE", `worker "${id}" is dead (its process is gone)`, {
          hints: ["remove it with `orchestra workers cleanup`, then spawn a new one"],
        });
      }
      const password = await passwordFor(entry);
      if (password === undefined) {
        throw new RuntimeError(
          "WORKER_UNAVAILABLE",
          `cannot prove worker "${id}" is ours: its password cannot be derived`,
          {
            hints: [
              `the worker secret (${defaultSecretFile()}) changed or is missing; stop the worker and spawn a new one`,
            ],
          },
        );
      }
      const model = parseModelRef(entry.model);
      const result = await workerClient(entry.url, password, entry.directory).session.prompt(
        {
          sessionID: entry.sessionId,
          ...(model ? { model } : {}),
          agent: WORKER_AGENT,
          parts: [{ type: "text", text: message }],
        },
        { signal: AbortSignal.timeout(options.timeout) },
      );
      if (!result.data) {
        throw new RuntimeError(
          "WORKER_ASK_FAILED",
          `worker "${id}" did not answer: ${JSON.stringify(result.error)}`,
        );
      }
      const text = (result.data.parts as { type: string; text?: string }[])
        .filter((p) => p.type === "text" && p.text)
        .map((p) => p.text)
        .join("\n");
      await write(`${text}\n`);
    });

  workers
    .command("stop [id]")
    .description(
      "Stop a worker (or every worker with --all): dispose its instance, then SIGTERM/SIGKILL its process group.",
    )
    .option("--all", "stop every process worker in the registry")
    .option("--grace <ms>", "SIGTERM → SIGKILL grace, in ms", (v) => Number(v), 5_000)
    .action(async (id: string | undefined, options: { all?: boolean; grace: number }) => {
      if ((id === undefined) === (options.all !== true)) {
        process.stderr.write("orchestra workers stop: give a worker id or --all (not both)\n");
        process.exitCode = EXIT.usage;
        return;
      }
      const registry = openRegistry();
      const entries = await registry.list();
      const targets = options.all
        ? entries.filter((e) => e.kind === "process")
        : [requireEntry(entries, id ?? "")];
      if (targets.length === 0) {
        await write("No process workers to stop.\n");
        return;
      }
      for (const entry of targets) {
        if (entry.kind !== "process") {
          throw new RuntimeError(
            "WORKER_UNAVAILABLE",
            `worker "${entry.id}" is a session worker of an orchestrator`,
            {
              hints: ["stop it from that OpenCode session with stop_worker"],
            },
          );
        }
        const outcome = await stopEntryProcess(entry, options.grace, await passwordFor(entry));
        await registry.remove(entry.id);
        await write(
          `stopped ${entry.id} (${outcome === "exited" ? "its process was already gone" : outcome})\n`,
        );
      }
    });
}
