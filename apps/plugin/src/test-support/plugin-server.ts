// Shared by the plugin's end-to-end tests: one real OpenCode with the built plugin, in a new
// project whose `.opencode/orchestrator.json` is the test's, the scripted model as its only
// provider, a session to call tools in, and the toasts it shows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type OpencodeInstance, type ScriptedModel, startOpencode } from "@orchestra/testkit";
import { callToolIn } from "./scripted-calls.js";
import { recordToasts, type ToastRecorder } from "./toasts.js";

const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "dist", "index.js");

/** A started {@link startPluginServer}. */
export interface PluginServer {
  /** The temp folder holding the project (removed by `stop`). */
  scratch: string;
  project: string;
  opencode: OpencodeInstance;
  sessionID: string;
  toasts: ToastRecorder;
  /** Have the scripted model call `tool` with `args` in the session; the tool's output. */
  callTool(tool: string, args?: Record<string, unknown>): Promise<string>;
  /** Stop OpenCode and remove the project (the scripted model is the test's to close). */
  stop(): Promise<void>;
}

/** Options of {@link startPluginServer}. */
export interface PluginServerOptions {
  /** The temp folder's name prefix (`orchestra-<name>-e2e-`). */
  name: string;
  /** The project's `.opencode/orchestrator.json`. */
  orchestrator: Record<string, unknown>;
  /** The scripted model (the orchestrator's LLM and the workers'); `callTool` needs `callRule` in its script. */
  model: ScriptedModel;
  /** More files of the project before OpenCode starts (path relative to the project → text). */
  files?: Readonly<Record<string, string>>;
}

/** Start OpenCode with the plugin in a new project (see the module comment). */
export async function startPluginServer(options: PluginServerOptions): Promise<PluginServer> {
  const scratch = mkdtempSync(join(tmpdir(), `orchestra-${options.name}-e2e-`));
  const project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(join(project, ".opencode", "orchestrator.json"), JSON.stringify(options.orchestrator));
  for (const [path, text] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  const opencode = await startOpencode({
    model: options.model,
    plugins: [pluginFile],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
  const toasts = await recordToasts(opencode);
  const session = await opencode.client.session.create({ title: `${options.name} e2e` });
  const sessionID = session.data?.id ?? "";
  return {
    scratch,
    project,
    opencode,
    sessionID,
    toasts,
    callTool: (tool, args = {}) => callToolIn({ model: options.model, opencode, sessionID }, tool, args),
    async stop() {
      toasts.stop();
      await opencode.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
