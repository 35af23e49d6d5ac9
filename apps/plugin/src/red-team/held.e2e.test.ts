// Red team: what held in the 0.3 review, and must keep holding. Each attack runs as a hostile
// worker's model would run it, in a real OpenCode, for a process worker and a session worker.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSED, type RedTeam, startRedTeam } from "../test-support/red-team.js";

const restricted = {
  categories: { filesystem: "full", execution: "full", network: "none" },
  tools: { bash: { enabled: true, constraints: { allowedCommands: ["ls", "cat", "echo", "git", "node"] } } },
  paths: { denied: ["**/.env"] },
};
const profiles = [
  { id: "held-proc", kind: "process", purpose: "Red team (process)", permissions: restricted },
  { id: "held-session", kind: "session", purpose: "Red team (session)", permissions: restricted },
  {
    id: "orphan",
    kind: "session",
    purpose: "Extends a profile that does not exist",
    extends: "missing-parent",
  },
];
const WORKERS = ["held-proc", "held-session"] as const;

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "held",
    profiles,
    files: { "README.md": "# held\n", ".env": "TOKEN=held-secret-value\n" },
    outsideFiles: { "secret.txt": "outside-secret-value\n" },
  });
  for (const id of WORKERS) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

/** The call was denied by the plugin (not run) with `rule`. */
function expectDenied(out: string, rule?: string): void {
  expect(out).toContain("Denied by Open Orchestra");
  if (rule) expect(out).toContain(`[${rule}]`);
}

/** The call did not run: denied by the plugin, or not even offered by the worker's OpenCode. */
function expectRefused(out: string): void {
  expect(out).toMatch(REFUSED);
}

describe("worker servers", () => {
  it("listen on 127.0.0.1 with a password: 401 without one", async () => {
    const listed = JSON.parse(await rt.hostCalls("list_workers", { format: "json" })) as {
      id: string;
      port?: number;
    }[];
    const proc = listed.find((w) => w.id === "held-proc");
    expect(proc?.port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${proc?.port}/session`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${proc?.port}/session`, {
      headers: { authorization: `Basic ${Buffer.from("opencode:guess").toString("base64")}` },
    });
    expect(wrong.status).toBe(401);
  });

  it("the worker secret and the registry are 0600 and the registry stores only password hashes", async () => {
    const dir = join(rt.opencode.scratch, "data", "opencode", "orchestra");
    const secret = join(dir, "worker-secret");
    const registry = join(dir, "registry.json");
    for (const f of [secret, registry]) {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).mode & 0o777).toBe(0o600);
    }
    const text = readFileSync(registry, "utf8");
    expect(text).not.toMatch(/"password"\s*:/);
    expect(text).not.toContain(readFileSync(secret, "utf8").trim());
  });
});

describe.each(WORKERS)("%s: tools a worker may not use", (id) => {
  it("orchestrator tools are denied", async () => {
    expectRefused(await rt.workerCalls(id, "spawn_worker", { profile: "held-session" }));
  });

  it("task is denied unless the profile enables it", async () => {
    const out = await rt.workerCalls(id, "task", {
      description: "x",
      prompt: "cat .env",
      subagent_type: "general",
    });
    expectRefused(out);
    expect(rt.model.requests.some((r) => r.lastUserText === "cat .env")).toBe(false);
  });

  it("batch is checked call by call", async () => {
    const out = await rt.workerCalls(id, "batch", {
      tool_calls: [
        { tool: "read", parameters: { filePath: join(rt.project, "README.md") } },
        { tool: "read", parameters: { filePath: join(rt.project, ".env") } },
      ],
    });
    expectRefused(out);
    expect(out).not.toContain("held-secret-value");
  });
});

describe.each(WORKERS)("%s: path spellings", (id) => {
  const reads: [string, Record<string, unknown>][] = [
    ["`~` to a denied home file", { filePath: "~/.ssh/id_rsa" }],
    ["`$HOME`", { filePath: "$HOME/.ssh/id_rsa" }],
    ["`..` out of the project", { filePath: "../outside/secret.txt" }],
    ["a backslash", { filePath: "..\\outside\\secret.txt" }],
    ["`file_path` instead of `filePath`", { file_path: "../outside/secret.txt" }],
    ["a denied file under another spelling", { filePath: "./sub/../.env" }],
  ];
  it.each(reads)("read with %s is denied", async (_what, args) => {
    const out = await rt.workerCalls(id, "read", args);
    expect(out).not.toContain("outside-secret-value");
    expect(out).not.toContain("held-secret-value");
    expect(out).toMatch(/Denied by Open Orchestra|not found|does not exist|required/i);
  });
});

describe.each(WORKERS)("%s: shell tricks", (id) => {
  const marker = (name: string) => join(rt.project, `pwned-${id}-${name}`);
  const attacks: [string, (m: string) => string][] = [
    ["$IFS word splitting", (m) => `echo$IFS>${m}`],
    ["eval", (m) => `eval "touch ${m}"`],
    ["xargs", (m) => `echo ${m} | xargs touch`],
    ["env -S", (m) => `env -S "touch ${m}"`],
    ["nested bash -c", (m) => `bash -c "bash -c 'touch ${m}'"`],
    ["command substitution", (m) => `echo $(touch ${m})`],
    ["git -c core.pager", (m) => `git -c core.pager="touch ${m}" log`],
    ["git --upload-pack", (m) => `git fetch --upload-pack="touch ${m}" .`],
    ["a GIT_* prefix", (m) => `GIT_PAGER="touch ${m}" git log`],
    ["an inline interpreter", (m) => `node -e "require('fs').writeFileSync('${m}','x')"`],
    ["a carriage return", (m) => `ls\rtouch ${m}`],
    ["a zero-width space", (m) => `ls\u200b; touch ${m}`],
  ];
  it.each(attacks)("%s is denied and runs nothing", async (name, command) => {
    const m = marker(name.replace(/\W+/g, "-"));
    const out = await rt.workerCalls(id, "bash", { command: command(m), description: name });
    expectDenied(out);
    expect(existsSync(m)).toBe(false);
  });
});

describe.each(WORKERS)("%s: other spellings of localhost under network: none", (id) => {
  it.each([
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/",
    "http://localhost./",
  ])("webfetch %s is denied", async (url) => {
    expectRefused(await rt.workerCalls(id, "webfetch", { url, format: "text" }));
  });
});

describe("profile faults fail closed", () => {
  it("a worker whose profile cannot be resolved is never started", async () => {
    const spawned = await rt.hostCalls("spawn_worker", { profile: "orphan", format: "json" });
    expect(spawned).toContain("[PROFILE_UNKNOWN_PARENT]");
    expect(JSON.parse(await rt.hostCalls("list_workers", { format: "json" }))).not.toContainEqual(
      expect.objectContaining({ id: "orphan" }),
    );
  });
});
