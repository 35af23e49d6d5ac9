import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import { afterEach, describe, expect, it } from "vitest";
import { startOrDegrade } from "./degraded-hooks.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Sent {
  logs: { service: string; level: string; message: string }[];
  toasts: { title: string; message: string; variant: string }[];
}

/** A project (with `config` as its `.opencode/orchestrator.json`) and a client that records what it is sent. */
function setup(config?: string): {
  input: PluginInput;
  sent: Sent;
  file: string;
  env: Record<string, string>;
} {
  const root = mkdtempSync(join(tmpdir(), "orchestra-degraded-hooks-"));
  dirs.push(root);
  const directory = join(root, "project");
  mkdirSync(join(directory, ".opencode"), { recursive: true });
  const file = join(directory, ".opencode", "orchestrator.json");
  if (config !== undefined) writeFileSync(file, config);
  const sent: Sent = { logs: [], toasts: [] };
  const client = {
    app: { log: async ({ body }: { body: Sent["logs"][number] }) => void sent.logs.push(body) },
    tui: { showToast: async ({ body }: { body: Sent["toasts"][number] }) => void sent.toasts.push(body) },
  };
  const input = { client, directory, worktree: directory } as unknown as PluginInput;
  return { input, sent, file, env: { XDG_CONFIG_HOME: join(root, "config") } };
}

/** Fire the plugin's `event` hook with an OpenCode event. */
async function fire(hooks: Hooks, type: string, properties: unknown): Promise<void> {
  await hooks.event?.({ event: { type, properties } as never });
}

describe("startOrDegrade", () => {
  it("starts the plugin when the config is valid, and warns about nothing", async () => {
    const { input, sent, env } = setup('{ "ui": { "toasts": true } }');
    const started: Hooks = { tool: {} };
    expect(await startOrDegrade(input, async () => started, { env })).toBe(started);
    expect(sent).toEqual({ logs: [], toasts: [] });
  });

  it("with an invalid config never starts the plugin: degraded tools, an error log line and an error toast", async () => {
    const { input, sent, file, env } = setup(
      JSON.stringify({ ui: { toasts: false, debug: 3 }, workers: ["coder"] }),
    );
    let started = false;
    const hooks = await startOrDegrade(
      input,
      async () => {
        started = true;
        return {};
      },
      { env },
    );
    expect(started).toBe(false);
    expect(Object.keys(hooks).sort()).toEqual(["event", "tool"]); // no config (agent, commands) or other hook
    expect(Object.keys(hooks.tool ?? {})).toContain("spawn_worker");
    expect(sent.logs).toEqual([
      {
        service: "open-orchestra",
        level: "error",
        message: expect.stringContaining(`[CONFIG_INVALID] Open Orchestra runs in degraded mode`),
      },
    ]);
    expect(sent.logs[0]?.message).toContain(
      `  ${file}: ui.debug: wrong type (got number 3, expected boolean)`,
    );
    expect(sent.logs[0]?.message).toContain("hint: fix each error in the file it names");
    // `ui.toasts: false` is not read from an invalid file: the warning toast is shown anyway.
    expect(sent.toasts).toEqual([
      {
        title: "Open Orchestra",
        variant: "error",
        message: `Disabled: 1 config error [CONFIG_INVALID]: ${file}: ui.debug: wrong type (got number 3, expected boolean). Fix the config, run \`orchestra config validate\`, restart OpenCode.`,
      },
    ]);
  });

  it("shows the toast again for each new user session (not for child sessions), naming how many errors more", async () => {
    const { input, sent, env } = setup(JSON.stringify({ ui: { debug: 3, toasts: "yes" } }));
    const hooks = await startOrDegrade(input, async () => ({}), { env });
    await fire(hooks, "session.created", { info: { id: "s1" } });
    await fire(hooks, "session.created", { info: { id: "s2", parentID: "s1" } });
    await fire(hooks, "session.idle", { sessionID: "s1" });
    expect(sent.toasts).toHaveLength(2);
    expect(sent.toasts[1]?.message).toContain("(and 1 more: orchestrator_status lists them)");
  });
});
