import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { currentProcessIdentity } from "@orchestra/process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { checkRegistry } from "./registry.js";
import { tempSetup } from "./test-setup.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** A pid whose process has exited. */
let deadPid = 0;
beforeAll(async () => {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  deadPid = child.pid ?? 0;
});

function entry(id: string, overrides: Record<string, unknown>) {
  const me = currentProcessIdentity();
  return {
    id,
    profile: "coder",
    kind: "process",
    pid: me.pid,
    pgid: me.pid,
    processStartTime: me.startTime,
    url: "http://127.0.0.1:4100",
    port: 4100,
    owner: { kind: "cli", pid: me.pid, startTime: me.startTime },
    createdAt: 1_000,
    renewedAt: Date.now(),
    ttlMs: 60_000,
    status: "ready",
    directory: "/tmp/project",
    ...overrides,
  };
}

function setupWithRegistry(text?: string) {
  const setup = tempSetup("registry");
  roots.push(setup.root);
  const file = join(setup.env.XDG_DATA_HOME as string, "opencode", "orchestra", "registry.json");
  if (text !== undefined) setup.write(file.slice(setup.root.length + 1), text);
  return { setup, file };
}

describe("checkRegistry", () => {
  it("passes when no registry exists yet, creating nothing", async () => {
    const { setup, file } = setupWithRegistry();
    const result = await checkRegistry(setup.env);
    expect(result).toStrictEqual({
      id: "registry",
      status: "pass",
      message: `no device registry yet at ${file} (no worker has been started)`,
    });
    expect(readdirSync(setup.home)).toEqual([]);
  });

  it("fails when the registry's directory cannot be created", async () => {
    const { setup } = setupWithRegistry();
    const blocker = setup.write("home/not-a-dir", "a file");
    const result = await checkRegistry({ ...setup.env, XDG_DATA_HOME: join(blocker, "data") });
    expect(result.status).toBe("fail");
    expect(result.message).toContain(`${blocker} is not a writable directory, so no worker can be started`);
  });

  it("passes for live workers it can account for", async () => {
    const { setup, file } = setupWithRegistry(JSON.stringify({ version: 1, entries: [entry("coder", {})] }));
    expect(await checkRegistry(setup.env)).toMatchObject({
      status: "pass",
      message: `${file}: 1 worker, every one alive and accounted for`,
    });
  });

  it("warns about dead entries and live workers whose owner is gone, with the cleanup hint", async () => {
    const { setup, file } = setupWithRegistry(
      JSON.stringify({
        version: 1,
        entries: [
          entry("coder", { pid: deadPid, pgid: deadPid, processStartTime: "1" }),
          entry("docs", { owner: { kind: "orchestrator", pid: deadPid, startTime: "1" } }),
        ],
      }),
    );
    const result = await checkRegistry(setup.env);
    expect(result.status).toBe("warn");
    expect(result.message.split("\n")).toEqual([
      `${file}:`,
      "1 dead entry (process gone): coder",
      "1 live worker that no running orchestrator accounts for (owner gone or lease expired): docs",
    ]);
    expect(result.hint).toMatch(
      /^`orchestra workers cleanup` removes dead entries and stops orphaned workers$/,
    );
  });

  it("warns about a live worker process that names this registry but is not in it, with how to stop it", async () => {
    const { setup, file } = setupWithRegistry(JSON.stringify({ version: 1, entries: [] }));
    const ghost = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        ORCHESTRA_WORKER: "1",
        ORCHESTRA_WORKER_ID: "ghost",
        ORCHESTRA_WORKER_PROFILE: "coder",
        ORCHESTRA_REGISTRY_FILE: file,
      },
    });
    await once(ghost, "spawn");
    try {
      const result = await checkRegistry(setup.env);
      expect(result.status).toBe("warn");
      expect(result.message).toContain(
        `1 live worker process of this registry that it does not list (no command finds them): ghost (pid ${ghost.pid})`,
      );
      expect(result.hint).toContain(`kill -TERM -${ghost.pid}`);
    } finally {
      ghost.kill("SIGKILL");
    }
  });

  it("warns when a corrupt registry is set aside (now, then on later runs), saying its workers may still run", async () => {
    const { setup } = setupWithRegistry("{ truncated");
    const first = await checkRegistry(setup.env);
    expect(first.status).toBe("warn");
    expect(first.message).toMatch(
      /the device registry was corrupt .* \(set aside as .*registry\.json\.corrupt-/,
    );
    expect(first.hint).toContain("check the set-aside files for workers still running");
    const later = await checkRegistry(setup.env);
    expect(later.status).toBe("warn");
    expect(later.message).toMatch(
      /1 registry file set aside \(corrupt or from another version\): .*registry\.json\.corrupt-.*; workers listed only there may still be running/,
    );
  });
});
