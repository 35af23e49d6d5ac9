import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type OrchestratorConfigInput, orchestratorConfigSchema } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import { resolveOpencode, type ScriptedModel } from "@orchestra/testkit";
import { Orchestrator } from "../../orchestrator.js";
import { createWorkerLifecycle } from "../worker-lifecycle.js";
import { fakeCatalog, type Harness, type Home } from "./harness.js";

/**
 * An orchestrator whose process workers are real `opencode serve` servers driven by a scripted
 * model, isolated in the test home (HOME and XDG dirs), with the lifecycle attached (not started).
 */
export async function makeRealHarness(
  home: Home,
  model: ScriptedModel,
  config: OrchestratorConfigInput = {},
): Promise<Harness> {
  const parsed = orchestratorConfigSchema.parse(config);
  const profiles = await loadProfileRegistry({
    projectDir: home.directory,
    config: { profiles: parsed.profiles },
  });
  const scratch = join(home.root, "worker-home");
  const xdg = {
    HOME: scratch,
    XDG_CONFIG_HOME: join(scratch, "config"),
    XDG_DATA_HOME: join(scratch, "data"),
    XDG_STATE_HOME: join(scratch, "state"),
    XDG_CACHE_HOME: join(scratch, "cache"),
  };
  for (const dir of Object.values(xdg)) mkdirSync(dir, { recursive: true });
  const warnings: string[] = [];
  const lifecycle = await createWorkerLifecycle({
    config: parsed,
    directory: home.directory,
    registryFile: home.registryFile,
    manifestFile: home.manifestFile,
    secretFile: home.secretFile,
    logger: { warn: (message) => warnings.push(message) },
  });
  const modelId = model.models[0]?.id ?? "fake-fast";
  const orchestra = new Orchestrator({
    config: parsed,
    directory: home.directory,
    profiles,
    catalog: async () => ({ catalog: fakeCatalog(model.providerId, modelId) }),
    workerBaseConfig: async () => ({
      provider: model.providerConfig(),
      enabled_providers: [model.providerId],
    }),
    binary: resolveOpencode().binary,
    workerEnv: xdg,
    hooks: { ...lifecycle.hooks },
  });
  lifecycle.attach(orchestra);
  return { home, orchestra, lifecycle, warnings };
}
