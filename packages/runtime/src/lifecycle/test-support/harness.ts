import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type OrchestratorConfigInput, orchestratorConfigSchema } from "@orchestra/config";
import { isProcessAlive } from "@orchestra/process";
import { loadProfileRegistry } from "@orchestra/profiles";
import type { OpencodeProviderList } from "@orchestra/resolver";
import { Orchestrator } from "../../orchestrator.js";
import type { DeviceRegistry } from "../../registry/registry.js";
import { createWorkerLifecycle, type WorkerLifecycle } from "../worker-lifecycle.js";

/** The fake `opencode serve` used where a real server is not needed. */
const FAKE_OPENCODE = fileURLToPath(new URL("../../../test-fixtures/fake-opencode.mjs", import.meta.url));

/** A one-provider catalog: every built-in profile resolves to `fake/m1`. */
export function fakeCatalog(providerId = "fake", modelId = "m1"): OpencodeProviderList {
  return {
    all: [
      {
        id: providerId,
        name: providerId,
        env: [],
        models: {
          [modelId]: {
            id: modelId,
            name: modelId,
            capabilities: {
              toolcall: true,
              attachment: true,
              reasoning: true,
              input: { text: true, image: true },
            },
            cost: { input: 1, output: 1 },
            limit: { context: 100_000, output: 8_000 },
          },
        },
      },
    ],
    connected: [providerId],
    default: { [providerId]: modelId },
  };
}

/** Files shared by orchestrators of one "user" in a test. */
export interface Home {
  root: string;
  directory: string;
  registryFile: string;
  manifestFile: string;
  secretFile: string;
  /** Every fake worker appends `<pid> <tool child pid>` here. */
  pidFile: string;
}

export function makeHome(): Home {
  const root = mkdtempSync(join(tmpdir(), "orchestra-lifecycle-"));
  const directory = join(root, "project");
  mkdirSync(directory, { recursive: true });
  return {
    root,
    directory,
    registryFile: join(root, "data", "registry.json"),
    manifestFile: join(root, "config", "orchestrator-recovery.json"),
    secretFile: join(root, "data", "worker-secret"),
    pidFile: join(root, "pids.txt"),
  };
}

/** Every pid a fake worker (or its tool child) ever had, from the pid file. */
export function recordedPids(home: Home): number[] {
  let text = "";
  try {
    text = readFileSync(home.pidFile, "utf8");
  } catch {
    return [];
  }
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1);
}

/**
 * True while `pid` is still one of this home's fake workers (or their children): its environment
 * names this home's pid file. A recorded pid that the system reused for another process is not.
 */
function isOurs(home: Home, pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").includes(`FAKE_OPENCODE_PIDFILE=${home.pidFile}\0`);
  } catch {
    return false;
  }
}

/** The recorded pids still alive and still ours (zombies count as dead). */
export function orphans(home: Home): number[] {
  return recordedPids(home).filter((pid) => isProcessAlive(pid) && isOurs(home, pid));
}

/** SIGKILL every recorded pid that is still ours, and its group (test cleanup). */
function killRecorded(home: Home): void {
  for (const pid of recordedPids(home)) {
    if (!isOurs(home, pid)) continue; // never signal a reused pid
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
}

export interface Harness {
  home: Home;
  orchestra: Orchestrator;
  lifecycle: WorkerLifecycle;
  warnings: string[];
}

export interface HarnessOptions {
  home: Home;
  config?: OrchestratorConfigInput;
  /** Extra environment of the fake workers (faults). */
  env?: Record<string, string>;
  binary?: string;
  catalog?: OpencodeProviderList;
  workerBaseConfig?: Record<string, unknown>;
  /** The device registry (default: the home's registry file, default lock options). */
  registry?: DeviceRegistry;
  /** The lifecycle's `warmPoolMaxQueue`. */
  warmPoolMaxQueue?: number;
}

/** An orchestrator with its lifecycle attached (not started), on the fake OpenCode. */
export async function makeHarness(options: HarnessOptions): Promise<Harness> {
  const { home } = options;
  const config = orchestratorConfigSchema.parse(options.config ?? {});
  const profiles = await loadProfileRegistry({
    projectDir: home.directory,
    config: { profiles: config.profiles },
  });
  const warnings: string[] = [];
  const lifecycle = await createWorkerLifecycle({
    config,
    directory: home.directory,
    registryFile: home.registryFile,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.warmPoolMaxQueue === undefined ? {} : { warmPoolMaxQueue: options.warmPoolMaxQueue }),
    manifestFile: home.manifestFile,
    secretFile: home.secretFile,
    logger: { warn: (message) => warnings.push(message) },
  });
  const catalog = options.catalog ?? fakeCatalog();
  const orchestra = new Orchestrator({
    config,
    directory: home.directory,
    profiles,
    catalog: async () => ({ catalog }),
    workerBaseConfig: async () => options.workerBaseConfig ?? {},
    binary: options.binary ?? FAKE_OPENCODE,
    workerEnv: { FAKE_OPENCODE_PIDFILE: home.pidFile, ...options.env },
    hooks: { ...lifecycle.hooks },
  });
  lifecycle.attach(orchestra);
  return { home, orchestra, lifecycle, warnings };
}

/** Poll `check` every 20 ms until it is true, or throw after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Remove a test home. */
export function removeHome(home: Home): void {
  killRecorded(home);
  rmSync(home.root, { recursive: true, force: true });
}
