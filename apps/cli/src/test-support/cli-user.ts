import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type OpencodeProviderConfig,
  resolveOpencode,
  type ScriptedModel,
  type ScriptedModelOptions,
  seedPluginInstall,
  startScriptedModel,
} from "@orchestra/testkit";
import type { CliRun } from "./run-cli.js";

const here = dirname(fileURLToPath(import.meta.url));

/** The built `orchestra` command. */
export const cli = resolve(here, "../../dist/main.js");

/** The directories of an isolated user: a temp root with a project and the XDG dirs. */
export interface CliUserDirs {
  root: string;
  project: string;
  xdg: { XDG_CONFIG_HOME: string; XDG_DATA_HOME: string; XDG_STATE_HOME: string; XDG_CACHE_HOME: string };
}

/** Fresh directories for one test file's user (created now, so paths can be module constants). */
export function cliUserDirs(prefix: string): CliUserDirs {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    root,
    project: join(root, "project"),
    xdg: {
      XDG_CONFIG_HOME: join(root, "config"),
      XDG_DATA_HOME: join(root, "data"),
      XDG_STATE_HOME: join(root, "state"),
      XDG_CACHE_HOME: join(root, "cache"),
    },
  };
}

/** Options of {@link startCliUser}. */
export interface CliUserOptions {
  /** The scripted model's script. */
  script: ScriptedModelOptions["script"];
  /** More providers of the user's, beside the scripted one (enabled too). */
  extraProviders?: (model: ScriptedModel) => Promise<Record<string, OpencodeProviderConfig>>;
}

/**
 * Start the scripted model and give the user a global OpenCode config whose providers (the scripted
 * one, default `scripted/fake-fast`) every worker inherits; pre-seed OpenCode's plugin install in the
 * global and project config dirs. Returns the model and the environment for the CLI.
 */
export async function startCliUser(
  dirs: CliUserDirs,
  options: CliUserOptions,
): Promise<{ model: ScriptedModel; env: NodeJS.ProcessEnv }> {
  const model = await startScriptedModel({ script: options.script });
  const { binary, version } = resolveOpencode({ resolveFrom: here });
  const configDir = join(dirs.xdg.XDG_CONFIG_HOME, "opencode");
  mkdirSync(configDir, { recursive: true });
  mkdirSync(dirs.project, { recursive: true });
  const extra = (await options.extraProviders?.(model)) ?? {};
  writeFileSync(
    join(configDir, "opencode.json"),
    JSON.stringify({
      autoupdate: false,
      share: "disabled",
      provider: { ...model.providerConfig(), ...extra },
      enabled_providers: ["scripted", ...Object.keys(extra)],
      model: "scripted/fake-fast",
      small_model: "scripted/fake-fast",
    }),
  );
  seedPluginInstall(configDir, version);
  seedPluginInstall(join(dirs.project, ".opencode"), version);
  const env = {
    PATH: process.env.PATH,
    HOME: join(dirs.root, "home"),
    ...dirs.xdg,
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    ORCHESTRA_OPENCODE_BIN: binary,
  };
  return { model, env };
}

/** Run `orchestra workers <args>` in `cwd` with `env`; never throws for a non-zero exit. */
export function runWorkers(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cli, "workers", ...args],
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 180_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Whether a process is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
