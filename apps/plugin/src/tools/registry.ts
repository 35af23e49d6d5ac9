import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { LoadedConfig } from "@orchestra/config";
import type { Orchestra } from "@orchestra/runtime";
import type { Activity } from "../activity.js";
import type { MemoryAccess } from "../memory.js";
import { formatArg, guarded, respond, table } from "./format.js";

/** What the registry and diagnostics tools read. */
export interface RegistryToolDeps {
  orchestra: Orchestra;
  activity: Activity;
  loaded: LoadedConfig;
  memory: MemoryAccess;
}

/** `orchestrator_device_registry` and `orchestrator_diagnostics`. */
export function registryTools(deps: RegistryToolDeps): Record<string, ToolDefinition> {
  return {
    orchestrator_device_registry: tool({
      description:
        "List every worker in this user's device registry (all orchestrators and the CLI), with owner, live status and pid. Use to find workers started elsewhere or left behind; `orchestra workers cleanup` removes stale ones.",
      args: { format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const file = deps.orchestra.registryFile;
          const rows = (await deps.orchestra.deviceWorkers()).map(({ entry: e, live }) => ({
            id: e.id,
            profile: e.profile,
            kind: e.kind,
            status: e.status,
            live,
            pid: e.pid,
            owner: `${e.owner.kind} ${e.owner.pid}`,
            url: e.url,
            model: e.model ?? null,
          }));
          return respond(args.format, { file, entries: rows }, () =>
            rows.length === 0
              ? `The device registry (${file}) is empty.`
              : `${file}\n${table(
                  ["id", "kind", "status", "live", "pid", "owner", "model"],
                  rows.map((r) => [r.id, r.kind, r.status, r.live, String(r.pid), r.owner, r.model ?? "-"]),
                )}`,
          );
        }),
    }),

    orchestrator_diagnostics: tool({
      description:
        "Report everything needed to debug the orchestrator: runtime and binary, config files, profiles, model catalog, worker health states, warm pools, device registry and memory store. Use when something fails and the cause is unclear.",
      args: { format: formatArg },
      execute: (args) =>
        guarded(async () => {
          const { orchestra, loaded, memory } = deps;
          const catalog = await orchestra
            .resolver()
            .then((r) => ({ models: r.index.models.length, connected: r.index.connectedModels.length }))
            .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
          const report = {
            runtime: { platform: `${process.platform}-${process.arch}`, versions: { ...process.versions } },
            binary: process.env.ORCHESTRA_OPENCODE_BIN ?? process.execPath,
            configFiles: loaded.layers.map((l) => l.file),
            profiles: orchestra.profiles.enabledIds(),
            catalog,
            workers: orchestra
              .workers()
              .map((w) => ({ id: w.id, status: w.status, kind: w.kind, model: w.model })),
            health: orchestra.health(),
            warmPools: orchestra.warmPools(),
            registry: { file: orchestra.registryFile, entries: (await orchestra.deviceWorkers()).length },
            memory: { enabled: memory.enabled, project: memory.project },
            recentActivity: deps.activity.recent(5),
          };
          return respond(args.format, report, () => {
            const health =
              report.health.map((h) => `${h.id}=${h.state}`).join(", ") || "no monitored workers";
            const warm = Object.entries(report.warmPools)
              .map(([p, s]) => `${p}: ${JSON.stringify(s)}`)
              .join("; ");
            return [
              `Runtime: ${report.runtime.platform}, ${process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.versions.node}`}`,
              `OpenCode binary for workers: ${report.binary}`,
              `Config files: ${report.configFiles.join(", ") || "none (defaults)"}`,
              `Profiles: ${report.profiles.join(", ")}`,
              "error" in catalog
                ? `Model catalog: unavailable (${catalog.error})`
                : `Model catalog: ${catalog.models} models, ${catalog.connected} from connected providers`,
              `Workers: ${report.workers.map((w) => `${w.id} (${w.kind}, ${w.status})`).join(", ") || "none"}`,
              `Health: ${health}`,
              `Warm pools: ${warm || "none"}`,
              `Device registry: ${report.registry.file} (${report.registry.entries} entries)`,
              `Memory: ${report.memory.enabled ? `enabled, project ${report.memory.project}` : "disabled (memory.enabled)"}`,
            ].join("\n");
          });
        }),
    }),
  };
}
