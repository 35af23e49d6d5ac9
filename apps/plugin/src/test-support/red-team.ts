// The red-team harness: one real OpenCode with the plugin, driven by the scripted model, where a
// worker's model plays a hostile, prompt-injected agent. The host session spawns workers; a worker's
// user message `call <tool> <json>` makes the worker's model call that tool, so the tool result the
// model received next shows whether the attack was let through or denied.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type FakeModel,
  type OpencodeConfig,
  type OpencodeInstance,
  presetModels,
  type Rule,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { expect } from "vitest";
import { callRule } from "./scripted-calls.js";

const here = dirname(fileURLToPath(import.meta.url));

/** `call <tool> <json>` as a hostile model plays it: the call is made even when the tool is not offered. */
const hostileCallRule = { ...callRule, toolsOffered: true, anyTool: true };

/**
 * A call that did not run: denied by the plugin, or refused by OpenCode itself because the worker's
 * compiled `permission` does not offer the tool (the output then says the tool is unavailable).
 */
export const REFUSED = /Denied by Open Orchestra|Model tried to call unavailable tool/;
/** The built plugin every red-team OpenCode loads (`pnpm --filter @orchestra/plugin build` first). */
const PLUGIN_FILE = join(here, "..", "..", "dist", "index.js");

/** Options of {@link startRedTeam}. */
export interface RedTeamOptions {
  /** Short name, used in the scratch dir and the session title. */
  name: string;
  /** Worker profiles written to `<project>/.opencode/orchestrator.json` (`{ profiles }`). */
  profiles: readonly Record<string, unknown>[];
  /** Other top-level keys of that orchestrator.json (merged beside `profiles`). */
  orchestrator?: Record<string, unknown>;
  /** Files to create before the server starts: project-relative path → content. */
  files?: Readonly<Record<string, string>>;
  /** Files to create outside the project: path relative to `outside` → content. */
  outsideFiles?: Readonly<Record<string, string>>;
  /** Extra OpenCode config for the host (merged over `enabled_providers: ["scripted"]`). */
  config?: OpencodeConfig;
  /** Extra environment of the host server (and so of its process workers). */
  env?: Record<string, string | undefined>;
  /** Run `git init` in the project before the server starts (default false). */
  git?: boolean;
  /**
   * Extra scripted models, declared beside the presets (a profile picks one with `model:
   * "scripted/<id>"`). OpenCode offers `apply_patch` instead of `edit`/`write` to ids with `gpt-`.
   */
  models?: readonly FakeModel[];
  /** More script rules, tried before `call <tool> <json>` (e.g. a reply with several tool calls). */
  rules?: readonly Rule[];
}

/** A running red-team OpenCode. */
export interface RedTeam {
  /** The scratch root: holds `project/` and `outside/`. Not under /tmp (sandboxes get a private /tmp). */
  readonly root: string;
  /** The project directory (the host server's cwd). */
  readonly project: string;
  /** A directory beside the project, outside every worker's allowed paths. */
  readonly outside: string;
  readonly model: ScriptedModel;
  readonly opencode: OpencodeInstance;
  /** The host session the orchestrator tools are called in. */
  readonly sessionID: string;
  /** `spawn_worker` for `profile` (json format); returns the parsed result. */
  spawn(profile: string, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /**
   * Make worker `id`'s model call `tool` with `args` (even when OpenCode does not offer the tool);
   * returns the tool output that model received: the tool's own, or OpenCode's "unavailable tool" one
   * (see {@link REFUSED}).
   */
  workerCalls(id: string, tool: string, args: Record<string, unknown>): Promise<string>;
  /** Make the host session's model call `tool`; returns the tool output it received. */
  hostCalls(tool: string, args?: Record<string, unknown>): Promise<string>;
  /** Stop the server and the model; remove the scratch dir. */
  stop(): Promise<void>;
}

function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Start one red-team OpenCode (call once per test file, in `beforeAll`). */
export async function startRedTeam(options: RedTeamOptions): Promise<RedTeam> {
  const base = existsSync("/var/tmp") ? "/var/tmp" : tmpdir();
  const root = mkdtempSync(join(base, `orchestra-redteam-${options.name}-`));
  const project = join(root, "project");
  const outside = join(root, "outside");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({ ...options.orchestrator, profiles: options.profiles }, null, 2),
  );
  writeTree(project, options.files ?? {});
  writeTree(outside, options.outsideFiles ?? {});
  if (options.git) {
    const { execFileSync } = await import("node:child_process");
    execFileSync("git", ["init", "-q", project]);
  }
  const model = await startScriptedModel({
    models: [...presetModels, ...(options.models ?? [])],
    script: rules(
      [
        ...(options.rules ?? []),
        hostileCallRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
      ],
      echoScript,
    ),
  });
  let opencode: OpencodeInstance;
  try {
    opencode = await startOpencode({
      model,
      plugins: [PLUGIN_FILE],
      resolveFrom: here,
      directory: project,
      startupTimeoutMs: 120_000,
      config: { enabled_providers: ["scripted"], ...options.config },
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    await model.close();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const session = await opencode.client.session.create({ title: `red team: ${options.name}` });
  const sessionID = session.data?.id ?? "";

  async function hostCalls(tool: string, args: Record<string, unknown> = {}): Promise<string> {
    const before = model.requests.length;
    await opencode.client.session.prompt({
      sessionID,
      model: { providerID: "scripted", modelID: "fake-fast" },
      parts: [{ type: "text", text: `call ${tool} ${JSON.stringify(args)}` }],
    });
    return (
      model.requests.slice(before).find((r) => r.lastToolResult?.name === tool)?.lastToolResult?.content ?? ""
    );
  }

  return {
    root,
    project,
    outside,
    model,
    opencode,
    sessionID,
    hostCalls,
    async spawn(profile, extra = {}) {
      const out = await hostCalls("spawn_worker", { profile, format: "json", ...extra });
      try {
        return JSON.parse(out) as Record<string, unknown>;
      } catch {
        throw new Error(`spawn_worker ${profile} did not return JSON: ${out.slice(0, 500)}`);
      }
    },
    async workerCalls(id, tool, args) {
      const before = model.requests.length;
      const message = `call ${tool} ${JSON.stringify(args)}`;
      const result = await opencode.client.session.prompt({
        sessionID,
        model: { providerID: "scripted", modelID: "fake-fast" },
        parts: [{ type: "text", text: `call ask_worker ${JSON.stringify({ id, message })}` }],
      });
      expect(result.error).toBeUndefined();
      const sent = model.requests.slice(before);
      const inWorker = sent.find(
        (r) =>
          r.lastToolResult?.name === tool ||
          // OpenCode's tool-call repair turns a call to a tool it does not offer into `invalid`.
          (r.lastToolResult?.name === "invalid" &&
            (r.lastToolResult.args as { tool?: unknown } | undefined)?.tool === tool),
      );
      expect(inWorker, `worker ${id}'s model got no result of ${tool}`).toBeDefined();
      return inWorker?.lastToolResult?.content ?? "";
    },
    async stop() {
      await opencode.stop();
      await model.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
