import type { ToolReferences } from "./reference.js";

/** Reference entries of `orchestrator_device_registry` and `orchestrator_diagnostics` (registry.ts). */
export const REGISTRY_TOOL_REFERENCE: ToolReferences = {
  orchestrator_device_registry: {
    category: "diagnostics",
    returns:
      "{ file: string; entries: { id: string; profile: string; kind: string; status: string; live: string; pid: number; owner: string; url: string; model: string | null }[] }. Text: the registry file, then a table of its workers.",
    example: {
      args: {},
      output: "The device registry (/home/me/.local/share/opencode/orchestra/registry.json) is empty.",
    },
    errors: {
      REGISTRY_IO: "the registry file cannot be read",
      REGISTRY_LOCK_TIMEOUT: "another process held the registry's lock too long",
    },
  },
  orchestrator_diagnostics: {
    category: "diagnostics",
    returns:
      "{ runtime: { platform: string; versions: Record<string, string> }; binary: string; configFiles: string[]; profiles: string[]; catalog: { models: number; connected: number } | { error: string }; workers: object[]; health: object[]; warmPools: Record<string, object>; registry: { file: string; entries: number }; memory: { enabled: boolean; project: string }; recentActivity: object[] }. Text: one line per part.",
    example: {
      args: {},
      output: [
        "Runtime: linux-x64, node 20.19.5",
        "OpenCode binary for workers: /usr/local/bin/opencode",
        "Config files: none (defaults)",
        "Profiles: vision, docs, coder, architect, explorer, memory",
        "Model catalog: 1 models, 1 from connected providers",
        "Workers: none",
        "Health: no monitored workers",
        "Warm pools: none",
        "Device registry: /home/me/.local/share/opencode/orchestra/registry.json (0 entries)",
        "Memory: enabled, project 5d41402abc4b",
      ].join("\n"),
    },
    errors: {
      REGISTRY_IO: "the registry file cannot be read",
      REGISTRY_LOCK_TIMEOUT: "another process held the registry's lock too long",
    },
  },
};
