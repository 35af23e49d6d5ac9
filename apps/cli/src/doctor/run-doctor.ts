import { checkBudgets } from "./budgets.js";
import type { CheckResult } from "./check.js";
import { checkConfig } from "./config.js";
import { checkMemory } from "./memory.js";
import { checkOpencode, SUPPORTED_OPENCODE } from "./opencode.js";
import { checkPluginDeps } from "./plugin-deps.js";
import { type ProfileModel, resolveProfileModels } from "./profile-models.js";
import { checkProfiles } from "./profiles.js";
import { checkProviders } from "./providers.js";
import { checkRegistry } from "./registry.js";
import { type DoctorReport, doctorReport, withProgress } from "./report.js";
import { checkSandbox } from "./sandbox.js";
import { readServerFacts, type ServerFacts, serverAccess } from "./server-access.js";
import { checkServerAuth } from "./server-auth.js";
import { checkServerPlugin } from "./server-plugin.js";
import { type DoctorSetup, readConfig, readProfiles } from "./setup.js";

/** Options of {@link runDoctor}. */
export interface RunDoctorOptions {
  /** A running OpenCode server to check too (`--server`). */
  server?: string;
  /** The device registry to check (`--registry`; default the user's). */
  registry?: string;
  /** Where progress lines go (stderr). */
  progress: (line: string) => void;
}

/**
 * Run every check, in a fixed order: opencode, config, profiles, sandbox, registry, memory,
 * plugin-deps, providers, budgets, then with a server server-auth and server-plugin. A check never
 * throws for a problem it finds; it reports it.
 */
export async function runDoctor(setup: DoctorSetup, options: RunDoctorOptions): Promise<DoctorReport> {
  const step = <T>(label: string, work: () => T | Promise<T>) => withProgress(label, work, options.progress);
  const checks: CheckResult[] = [];
  const opencode = checkOpencode(setup);
  checks.push(opencode.result);
  const config = await step("reading the config files", () => readConfig(setup));
  const registry = await step("loading the profiles", () => readProfiles(setup, config));
  checks.push(checkConfig(setup, config, registry));
  const access = options.server === undefined ? undefined : serverAccess(options.server, setup.env);
  const server: ServerFacts | undefined =
    access === undefined
      ? undefined
      : await step(`reading the catalog of ${access.url}`, () => readServerFacts(access));
  const loadedConfig = config.ok ? config.loaded.config : undefined;
  let models: ProfileModel[] | string | undefined;
  if (server !== undefined)
    models = server.catalog.ok
      ? resolveProfileModels(registry, server.catalog.catalog, {
          ...(loadedConfig === undefined ? {} : { config: loadedConfig }),
          ...(server.defaultModel === undefined ? {} : { defaultModel: server.defaultModel }),
        })
      : `cannot read the server's catalog: ${server.catalog.reason}`;
  checks.push(checkProfiles(registry, config, models));
  checks.push(checkSandbox(registry, setup.env));
  checks.push(await step("reading the device registry", () => checkRegistry(setup.env, options.registry)));
  checks.push(await step("checking the memory store", () => checkMemory(loadedConfig?.memory, setup)));
  checks.push(checkPluginDeps(setup, opencode.version ?? SUPPORTED_OPENCODE.tested));
  checks.push(checkProviders(server, Array.isArray(models) ? models : [], loadedConfig));
  checks.push(checkBudgets(loadedConfig, registry, server, Array.isArray(models) ? models : []));
  if (access !== undefined) {
    checks.push(await step(`asking ${access.url}`, () => checkServerAuth(access)));
    checks.push(await step(`asking ${access.url}`, () => checkServerPlugin(access)));
  }
  return doctorReport(checks);
}
