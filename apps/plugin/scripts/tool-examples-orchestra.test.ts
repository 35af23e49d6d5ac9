// Runs the tool reference's example calls that need an orchestrator but no running worker, in
// process, against a real Orchestra (createOrchestra: the six built-in profiles, a registry and a job
// journal in a temporary home, and a provider catalog with one connected model), and compares each
// answer with the documented output (times, the platform and the OpenCode binary normalised; the
// temporary home reads /home/me).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolDefinition } from "@opencode-ai/plugin";
import { loadConfig, orchestratorConfigSchema } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { createOrchestra, type Orchestra } from "@orchestra/runtime";
import { afterAll, beforeAll, describe, it } from "vitest";
import { Activity } from "../src/activity.js";
import { diagnosticTools } from "../src/tools/diagnostics.js";
import { jobControlTools } from "../src/tools/job-control.js";
import { modelTools } from "../src/tools/models.js";
import { registryTools } from "../src/tools/registry.js";
import { workerTools } from "../src/tools/workers.js";
import { runToolExample } from "./tool-example-run.js";

/** One connected provider with one model, as OpenCode's `GET /provider` answers. */
const CATALOG: OpencodeProviderList = {
  all: [
    {
      id: "scripted",
      name: "scripted",
      env: [],
      models: {
        "scripted-model": {
          id: "scripted-model",
          name: "scripted-model",
          capabilities: {
            toolcall: true,
            attachment: true,
            reasoning: true,
            input: { text: true, image: true },
          },
          cost: { input: 1, output: 2 },
          limit: { context: 128_000, output: 8_000 },
        },
      },
    },
  ],
  connected: ["scripted"],
  default: { scripted: "scripted-model" },
} as OpencodeProviderList;

let root = "";
let orchestra: Orchestra;
let tools: Record<string, ToolDefinition>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "orchestra-tool-examples-"));
  const directory = join(root, "project");
  mkdirSync(directory, { recursive: true });
  const config = orchestratorConfigSchema.parse({});
  orchestra = await createOrchestra({
    config,
    directory,
    profiles: await loadProfileRegistry({ projectDir: directory, config: { profiles: config.profiles } }),
    catalog: async () => CATALOG,
    registryFile: join(root, ".local", "share", "opencode", "orchestra", "registry.json"),
    manifestFile: join(root, "config", "orchestrator-recovery.json"),
    secretFile: join(root, "data", "worker-secret"),
    handleSignals: false,
    logger: { warn: () => undefined },
  });
  const activity = new Activity();
  const loaded = await loadConfig({ projectDir: directory, home: join(root, "home"), env: {} });
  const host = {
    auth: "password",
    url: "http://127.0.0.1:4096",
    detail: "it answers 401 to a request without credentials",
  } as const;
  const memory = { enabled: true, project: "5d41402abc4b" } as never;
  tools = {
    ...workerTools(orchestra, activity, {} as never),
    ...jobControlTools(orchestra, activity),
    ...modelTools(orchestra, activity),
    ...diagnosticTools(orchestra, activity, loaded, Promise.resolve(host)),
    ...registryTools({ orchestra, activity, loaded, memory } as never),
  };
});
afterAll(async () => {
  await orchestra?.shutdown();
  rmSync(root, { recursive: true, force: true });
});

function normalise(text: string): string {
  return text
    .replaceAll(root, "/home/me")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>")
    .replace(/^Runtime: \S+, (node|bun) \S+$/m, "Runtime: <platform>, <runtime>")
    .replace(/^OpenCode binary for workers: .+$/m, "OpenCode binary for workers: <binary>");
}

const runExample = (name: string) => runToolExample(tools, name, normalise);

/** In this order: set_profile_model before reset_profile_models, which clears it. */
const RUN_HERE = [
  "list_workers",
  "list_worker_jobs",
  "health_check",
  "suggest_worker",
  "list_profiles",
  "list_models",
  "resolve_model",
  "set_profile_model",
  "reset_profile_models",
  "orchestrator_status",
  "orchestrator_device_registry",
  "orchestrator_diagnostics",
];

describe("the tool reference's examples, run in process against a real Orchestra", () => {
  for (const name of RUN_HERE) it(`${name} answers as documented`, () => runExample(name));
});
