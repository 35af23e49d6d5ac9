import { EventEmitter } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrchestraError } from "@orchestra/core";
import { SANDBOX_PREFIX } from "@orchestra/permissions";
import { createProfileRegistry, profilesFromConfig } from "@orchestra/profiles";
import type { WorkerInfo } from "@orchestra/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Enforcer, hostEnforcement, PermissionDenied, portOf, workerEnforcement } from "./enforcement.js";

const registry = createProfileRegistry({
  sources: [
    profilesFromConfig([
      {
        id: "reader",
        kind: "session",
        permissions: { categories: { filesystem: "read", execution: "sandboxed", network: "none" } },
      },
      {
        id: "narrow-reader",
        extends: "reader",
        permissions: { paths: { allowed: ["src/**"] } },
      },
      {
        id: "builder",
        permissions: {
          categories: { filesystem: "full", execution: "sandboxed", network: "localhost" },
          tools: { bash: { enabled: true, constraints: { deniedFlags: ["--force"] } } },
        },
      },
      { id: "broken", extends: "missing-parent" },
    ]),
  ],
});

let project: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "orchestra-enforcement-"));
  mkdirSync(join(project, "src"));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const options = (extra: Partial<ConstructorParameters<typeof Enforcer>[0]> = {}) => ({
  directory: project,
  home: "/home/u",
  reservedPorts: () => [4096, 5001],
  probe: () => ({ ok: true as const, version: "bubblewrap 0.8.0" }),
  ...extra,
});

function denial(fn: () => unknown): PermissionDenied {
  try {
    fn();
  } catch (error) {
    if (error instanceof PermissionDenied) return error;
    throw error;
  }
  throw new Error("expected a deny");
}

async function rejects(p: Promise<unknown>): Promise<PermissionDenied> {
  try {
    await p;
  } catch (error) {
    if (error instanceof PermissionDenied) return error;
    throw error;
  }
  throw new Error("expected a deny");
}

const info = (over: Partial<WorkerInfo>): WorkerInfo => ({
  id: "reader",
  profile: "reader",
  kind: "session",
  status: "ready",
  model: "scripted/fake",
  url: "http://127.0.0.1:4096",
  sessionId: "ses_worker",
  startedAt: 0,
  ...over,
});

describe("hostEnforcement: session workers on the host", () => {
  function setup() {
    const pool = new EventEmitter();
    const logged: string[] = [];
    const host = hostEnforcement(
      { on: (event, listener) => pool.on(event, listener), profiles: registry },
      options({ log: (l) => logged.push(l) }),
    );
    const call = (sessionID: string, tool: string, args: Record<string, unknown>) =>
      host["tool.execute.before"]({ tool, sessionID, callID: "c" }, { args });
    return { pool, host, call, logged };
  }

  it("holds a session worker to its profile and leaves other sessions alone", async () => {
    const { pool, call, logged } = setup();
    pool.emit("worker:ready", info({}));
    const d = await rejects(call("ses_worker", "bash", { command: "rm -rf x" }));
    expect(d.rule).toBe("shell.not-read-only");
    expect(d.message).toMatch(/^Denied by Open Orchestra \[shell\.not-read-only\] for worker reader: /);
    expect(d.message).toContain("Allowed instead:");
    expect(d.code).toBe("PLUGIN_PERMISSION_DENIED");
    expect(d.name).toBe("PermissionDenied");
    expect(OrchestraError.isInstance(d) && PermissionDenied.isInstance(d)).toBe(true);
    expect(PermissionDenied.isInstance(new Error(d.message))).toBe(false);
    expect(logged[0]).toContain("denied bash for reader [shell.not-read-only]");
    expect((await rejects(call("ses_worker", "write", { filePath: "a.txt", content: "" }))).rule).toBe(
      "filesystem.read-only",
    );
    await expect(call("ses_user", "bash", { command: "rm -rf x" })).resolves.toBeUndefined();
    await expect(call("ses_worker", "read", { filePath: "src/a.ts" })).resolves.toBeUndefined();
  });

  it("ignores process workers (they enforce in their own plugin)", async () => {
    const { pool, call } = setup();
    pool.emit("worker:ready", info({ kind: "process", sessionId: "ses_proc" }));
    await expect(call("ses_proc", "bash", { command: "rm -rf x" })).resolves.toBeUndefined();
  });

  it("uses the resolved profile (extends): the child's allowed paths narrow the parent's", async () => {
    const { pool, call } = setup();
    pool.emit("worker:ready", info({ id: "narrow-reader", profile: "narrow-reader", sessionId: "ses_n" }));
    await expect(call("ses_n", "read", { filePath: "src/a.ts" })).resolves.toBeUndefined();
    expect((await rejects(call("ses_n", "read", { filePath: "package.json" }))).rule).toBe(
      "paths.not-allowed",
    );
  });

  it("binds child sessions (task) to the worker that started them", async () => {
    const { pool, host, call } = setup();
    pool.emit("worker:ready", info({}));
    await host.event({
      event: { type: "session.created", properties: { info: { id: "ses_child", parentID: "ses_worker" } } },
    } as never);
    expect((await rejects(call("ses_child", "bash", { command: "rm x" }))).rule).toBe("shell.not-read-only");
  });

  it("denies every call of a worker whose profile cannot be resolved", async () => {
    const { pool, call } = setup();
    pool.emit("worker:ready", info({ id: "broken", profile: "broken", sessionId: "ses_b" }));
    const d = await rejects(call("ses_b", "read", { filePath: "src/a.ts" }));
    expect(d.rule).toBe("profile.unresolved");
    expect(d.reason).toContain("missing-parent");
  });
});

describe("Enforcer: sandboxing and context", () => {
  const builder = () => workerEnforcement(registry, { ORCHESTRA_WORKER_PROFILE: "builder" }, options());

  it("rewrites an allowed shell command of a sandboxed profile to run under bubblewrap", async () => {
    const w = builder();
    const args = { command: "echo hi > out.txt", workdir: "src" };
    await w["tool.execute.before"]({ tool: "bash", sessionID: "s", callID: "c" }, { args });
    expect(args.command.startsWith(`${SANDBOX_PREFIX} `)).toBe(true);
    expect(args.command).toContain(`--bind ${project} ${project}`);
    expect(args.command).toContain(`--chdir ${project}/src`);
    expect(args.command.endsWith("-- /bin/bash -c 'echo hi > out.txt'")).toBe(true);
  });

  it("refuses sandboxed shell commands where no sandbox can be built, leaving the command untouched", () => {
    const w = new Enforcer(options({ probe: () => ({ ok: false, reason: "bwrap is not installed" }) }));
    const args = { command: "ls" };
    const policy = workerEnforcement(registry, { ORCHESTRA_WORKER_PROFILE: "builder" }, options()).policy;
    const d = denial(() => w.enforce(policy, "bash", { args }));
    expect(d.rule).toBe("execution.sandbox-unavailable");
    expect(d.reason).toContain("bwrap is not installed");
    expect(args.command).toBe("ls");
    // Non-shell tools still work without a sandbox.
    expect(w.enforce(policy, "read", { args: { filePath: "src/a.ts" } }).decision).toBe("allow");
  });

  it("denies shell calls inside batch for sandboxed profiles (they cannot be wrapped)", () => {
    const w = builder();
    const d = denial(() =>
      w.enforcer.enforce(w.policy, "batch", {
        args: { tool_calls: [{ tool: "Bash", parameters: { command: "ls" } }] },
      }),
    );
    expect(d.rule).toBe("execution.sandbox-unavailable");
  });

  it("puts the orchestrator's and workers' ports out of bounds", () => {
    const w = builder();
    const d = denial(() =>
      w.enforcer.enforce(w.policy, "webfetch", { args: { url: "http://127.0.0.1:5001/session" } }),
    );
    expect(d.rule).toBe("network.reserved-port");
    expect(
      w.enforcer.enforce(w.policy, "webfetch", { args: { url: "http://127.0.0.1:3000/" } }).decision,
    ).toBe("allow");
  });

  it("reads package.json afresh, so a rewritten script is judged by its new body", () => {
    const w = builder();
    writeFileSync(join(project, "package.json"), JSON.stringify({ scripts: { check: "tsc --noEmit" } }));
    expect(w.enforcer.enforce(w.policy, "bash", { args: { command: "npm run check" } }).decision).toBe(
      "allow",
    );
    writeFileSync(join(project, "package.json"), JSON.stringify({ scripts: { check: "git push --force" } }));
    expect(
      denial(() => w.enforcer.enforce(w.policy, "bash", { args: { command: "npm run check" } })).rule,
    ).toBe("shell.denied-flag");
  });

  it("fails closed in a worker without a profile or with a broken config", async () => {
    for (const w of [
      workerEnforcement(registry, { ORCHESTRA_WORKER_ID: "x" }, options()),
      workerEnforcement(
        new Error("orchestrator.json: bad"),
        { ORCHESTRA_WORKER_PROFILE: "builder" },
        options(),
      ),
      workerEnforcement(registry, { ORCHESTRA_WORKER_PROFILE: "nope" }, options()),
    ]) {
      const d = await rejects(
        w["tool.execute.before"]({ tool: "read", sessionID: "s", callID: "c" }, { args: { filePath: "a" } }),
      );
      expect(d.rule).toBe("profile.unresolved");
    }
  });

  it("counts checks and their cost", () => {
    const w = builder();
    for (let i = 0; i < 20; i++) w.enforcer.enforce(w.policy, "read", { args: { filePath: "src/a.ts" } });
    expect(w.enforcer.stats.checks).toBe(20);
    expect(w.enforcer.stats.totalMicros).toBeGreaterThan(0);
  });

  it("portOf reads the port of a server URL", () => {
    expect(portOf("http://127.0.0.1:4096/")).toBe(4096);
    expect(portOf(new URL("http://localhost"))).toBe(80);
    expect(portOf("not a url")).toBeUndefined();
  });
});
