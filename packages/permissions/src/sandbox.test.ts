import { execFile, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_CONTROL_NAMES } from "./control-files.js";
import { fromEffective } from "./effective.js";
import { toOpencodePermission } from "./opencode-permission.js";
import { probeBubblewrap, SANDBOX_PREFIX, sandboxArgv, sandboxCommand } from "./sandbox.js";
import type { Permissions } from "./schema.js";

const full: Permissions = { categories: { filesystem: "full", execution: "sandboxed", network: "none" } };
const readOnly: Permissions = { categories: { filesystem: "read", execution: "sandboxed", network: "none" } };
const online: Permissions = { categories: { filesystem: "full", execution: "sandboxed", network: "full" } };
const secrets: Permissions = { ...full, paths: { denied: ["**/.env", "**/*.key", "~/.ssh/**"] } };

/** A scratch layout: `home/` (with ~/.ssh and the orchestrator's state), `project/`, `outside/`, `run/`. */
function scratch() {
  // Not under /tmp: the sandbox mounts a private /tmp.
  const base = existsSync("/var/tmp") ? "/var/tmp" : tmpdir();
  const root = mkdtempSync(join(base, "orchestra-sandbox-"));
  const home = join(root, "home");
  const project = join(root, "project with space");
  const outside = join(root, "outside");
  const tree: Record<string, string> = {
    "home/.ssh/id_rsa": "SSH-PRIVATE-KEY",
    "home/.local/share/opencode/orchestra/worker-secret": "WORKER-SECRET",
    "home/.local/share/opencode/orchestra/registry.json": '{"REGISTRY":1}',
    "home/.config/opencode/opencode.json": '{"USER-CONFIG":1}',
    "home/notes.txt": "HOME-FILE",
    "outside/secret.txt": "OUTSIDE-SECRET",
    "project with space/.opencode/orchestrator.json": "{}",
    "project with space/README.md": "readme\n",
    "project with space/.env": "ENV-SECRET",
    "project with space/config/server.key": "KEY-SECRET",
    "project with space/node_modules/pkg/.env": "NODE-MODULES-SECRET",
    "project with space/node_modules/pkg/index.js": "module.exports = 1;\n",
    "project with space/sub/keep.txt": "keep\n",
  };
  for (const [rel, content] of Object.entries(tree)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  spawnSync("git", ["init", "-q", project]);
  spawnSync("git", ["-C", project, "add", "README.md"]);
  return { root, home, project, outside };
}

describe("sandboxArgv", () => {
  let s: ReturnType<typeof scratch>;
  beforeAll(() => {
    s = scratch();
  });
  afterAll(() => rmSync(s.root, { recursive: true, force: true }));
  const argv = (p: Permissions, env: NodeJS.ProcessEnv = { PATH: "/usr/bin:/bin" }) =>
    sandboxArgv(p, "npm test", { cwd: s.project, home: s.home, env });

  it("starts with SANDBOX_PREFIX, builds an empty root and never binds / or the home dir", () => {
    const a = argv(full);
    expect(a.slice(0, 4).join(" ")).toBe(SANDBOX_PREFIX);
    const inner = a.slice(a.lastIndexOf("bwrap"));
    expect(inner.slice(0, 4).join(" ")).toBe(SANDBOX_PREFIX);
    const text = inner.join(" ");
    expect(text).not.toContain("--ro-bind / /");
    expect(text).toContain("--ro-bind /usr /usr");
    expect(text).toContain(`--tmpfs ${s.home}`);
    expect(text).not.toMatch(/ \/run( |$)/);
    expect(text).toContain(`--bind ${s.project} ${s.project}`);
    expect(text).toContain("--unshare-all");
    expect(text).toContain("--die-with-parent");
    expect(text).not.toContain("--share-net");
    expect(inner.slice(-4)).toEqual(["--", "/bin/bash", "-c", "npm test"]);
  });

  it("mounts existing control files read-only and hands the missing ones to the guard", () => {
    const a = argv(full);
    const text = a.join(" ");
    for (const rel of [".opencode", ".git/config", ".git/hooks", ".git/info"])
      expect(text).toContain(`--ro-bind ${join(s.project, rel)} ${join(s.project, rel)}`);
    const guard = a.indexOf("orchestra-sandbox-guard");
    expect(a[guard + 1]).toBe(s.project);
    const watched = a.slice(guard + 3, guard + 3 + Number(a[guard + 2]));
    for (const rel of [
      "opencode.json",
      "opencode.jsonc",
      "orchestrator.json",
      ".npmrc",
      "bunfig.toml",
      ".git/commondir",
    ])
      expect(watched).toContain(join(s.project, rel));
  });

  it("hides denied files found anywhere in the project, node_modules included", () => {
    const text = argv(secrets).join(" ");
    for (const rel of [".env", "config/server.key", "node_modules/pkg/.env"])
      expect(text).toContain(`--ro-bind /dev/null ${join(s.project, rel)}`);
  });

  it("keeps the project read-only below filesystem: full, without a guard", () => {
    const a = argv(readOnly);
    expect(a.join(" ")).toContain(`--ro-bind ${s.project} ${s.project}`);
    expect(a).not.toContain("--bind");
    expect(a).not.toContain("orchestra-sandbox-guard");
  });

  it("shares the network namespace only for network: full", () => {
    expect(argv(online)).toContain("--share-net");
    expect(argv({ categories: { ...online.categories, network: "localhost" } })).not.toContain("--share-net");
  });

  it("passes only allowlisted variables", () => {
    const text = argv(full, {
      PATH: "/usr/bin",
      ANTHROPIC_API_KEY: "sk-ant",
      ORCHESTRA_HOST_PORT: "4096",
    }).join(" ");
    expect(text).toContain("--clearenv");
    expect(text).not.toContain("sk-ant");
    expect(text).not.toContain("ORCHESTRA_HOST_PORT");
  });

  it("refuses a tree too large to check, and permissions that are not sandboxed or not valid", () => {
    expect(() => sandboxArgv(full, "ls", { cwd: s.project, home: s.home, walkLimit: 3 })).toThrow(
      expect.objectContaining({ code: "SANDBOX_TREE_TOO_LARGE" }),
    );
    expect(() =>
      sandboxArgv({ categories: { execution: "full" } }, "ls", { cwd: s.project, home: s.home }),
    ).toThrow(expect.objectContaining({ code: "SANDBOX_NOT_APPLICABLE" }));
    expect(() =>
      sandboxArgv({ categories: { exec: "sandboxed" } }, "ls", { cwd: s.project, home: s.home }),
    ).toThrow(expect.objectContaining({ code: "PERMISSIONS_INVALID" }));
  });

  it("accepts the effective shape", () => {
    const effective = fromEffective({
      categories: { filesystem: "full", execution: "sandboxed", network: "none" },
      tools: {},
      paths: { allowed: [], denied: [] },
    });
    expect(sandboxArgv(effective, "ls", { cwd: s.project, home: s.home })).toContain(
      "orchestra-sandbox-guard",
    );
  });

  it("is let through by the compiled OpenCode permission only for sandboxed profiles", () => {
    const bash = (p: Permissions) => toOpencodePermission(p, { cwd: "/proj", home: "/home/u" }).bash;
    expect(bash(full)).toMatchObject({ [`${SANDBOX_PREFIX} *`]: "allow" });
    expect(bash({ categories: { ...full.categories, execution: "full" } })).not.toHaveProperty(
      `${SANDBOX_PREFIX} *`,
    );
  });
});

// Real bubblewrap: the test setup installs it (see scripts/ensure-bubblewrap.mjs).
describe("the sandbox under real bubblewrap", () => {
  let s: ReturnType<typeof scratch>;
  let server: Server;
  let unixServer: Server;
  let abstractServer: Server;
  let port = 0;
  const abstractName = `\0orchestra-sandbox-test-${process.pid}`;
  const hostEnv = () => ({
    ...process.env,
    ANTHROPIC_API_KEY: "sk-ant-FAKE-KEY",
    ORCHESTRA_HOST_PORT: "4096",
    OPENCODE_SERVER_PASSWORD: "hunter2",
    XDG_DATA_HOME: join(s.home, ".local/share"),
    GIT_AUTHOR_NAME: "Worker",
    GIT_AUTHOR_EMAIL: "worker@example.com",
    GIT_COMMITTER_NAME: "Worker",
    GIT_COMMITTER_EMAIL: "worker@example.com",
  });
  const line = (p: Permissions, command: string, extra: Partial<{ cwd: string; home: string }> = {}) =>
    sandboxCommand(p, command, { cwd: s.project, home: s.home, env: hostEnv(), ...extra });
  const run = (p: Permissions, command: string, extra: Partial<{ cwd: string; home: string }> = {}) =>
    spawnSync("/bin/bash", ["-c", line(p, command, extra)], {
      encoding: "utf8",
      env: hostEnv(),
      timeout: 30_000,
    });
  // Asynchronous: servers in this process must keep answering while the sandbox runs.
  const runAsync = (p: Permissions, command: string) =>
    new Promise<string>((resolve) => {
      execFile("/bin/bash", ["-c", line(p, command)], { timeout: 30_000, env: hostEnv() }, (_e, stdout) =>
        resolve(stdout),
      );
    });
  const listen = (srv: Server, where: number | string) =>
    new Promise<void>((r) =>
      typeof where === "number" ? srv.listen(where, "127.0.0.1", r) : srv.listen(where, r),
    );

  beforeAll(async () => {
    s = scratch();
    server = createServer((c) => c.end("pong\n"));
    await listen(server, 0);
    port = (server.address() as { port: number }).port;
    // A session-bus-like socket outside /tmp (as in /run/user/<uid>) and one in the home dir.
    mkdirSync(join(s.root, "run/user/1000"), { recursive: true });
    unixServer = createServer((c) => c.end("unix-pong\n"));
    await listen(unixServer, join(s.root, "run/user/1000/bus"));
    abstractServer = createServer((c) => c.end("abstract-pong\n"));
    await listen(abstractServer, abstractName);
  });

  afterAll(async () => {
    for (const srv of [server, unixServer, abstractServer]) await new Promise((r) => srv.close(r));
    rmSync(s.root, { recursive: true, force: true });
  });

  it("is available on this machine", () => {
    expect(probeBubblewrap()).toMatchObject({ ok: true });
  });

  it("runs ordinary tools: ls, node, git", () => {
    const r = run(
      full,
      "ls README.md && node -e 'console.log(6*7)' && git status --short --untracked-files=no",
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("README.md\n42\nA  README.md\n");
  });

  it("lets a full-filesystem command create files in the project, never outside it", () => {
    const r = run(
      full,
      `mkdir -p build && echo x > build/out && echo y > new-root-file && echo z > sub/made.txt; echo x > ${join(s.outside, "leak.txt")}; echo x > /probe; echo done`,
    );
    expect(r.stdout).toBe("done\n");
    expect(readFileSync(join(s.project, "build/out"), "utf8")).toBe("x\n");
    expect(readFileSync(join(s.project, "new-root-file"), "utf8")).toBe("y\n");
    expect(readFileSync(join(s.project, "sub/made.txt"), "utf8")).toBe("z\n");
    expect(existsSync(join(s.outside, "leak.txt"))).toBe(false);
    expect(existsSync("/probe")).toBe(false);
  });

  it("keeps existing control files read-only, `.git` in place, and the rest of .git writable", () => {
    const r = run(
      full,
      "echo x >> .opencode/orchestrator.json; echo x >> .git/config; mv .git .git-moved; echo h > .git/hooks/pre-commit; git commit -qm first && echo committed",
    );
    expect(r.stdout).toBe("committed\n");
    expect(r.stderr.match(/Read-only file system/g)?.length).toBe(3);
    expect(r.stderr).toContain("Device or resource busy");
    expect(readFileSync(join(s.project, ".opencode/orchestrator.json"), "utf8")).toBe("{}");
    expect(existsSync(join(s.project, ".git/hooks/pre-commit"))).toBe(false);
    expect(existsSync(join(s.project, ".git-moved"))).toBe(false);
    expect(spawnSync("git", ["-C", s.project, "log", "--oneline"], { encoding: "utf8" }).stdout).toContain(
      "first",
    );
  });

  it("leaves no missing control file behind, at the root, in .git or deeper", () => {
    const before = readdirSync(s.project).sort();
    const creations = [
      ...SANDBOX_CONTROL_NAMES.map((rel) => `mkdir -p "$(dirname ${rel})"; echo '{"plugin":["x"]}' > ${rel}`),
      "mkdir -p .git/info2 && mv .git/info2 .git/modules",
      "mkdir -p sub/.opencode/plugin && echo evil > sub/.opencode/plugin/x.js",
      "echo '{}' > sub/opencode.json",
      "ln -s /x sub/.npmrc",
      "mkdir -p deep/a/.git && echo '[core]' > deep/a/.git/config",
      "mkdir -p sub/.yarn/plugins && echo 'require(1)' > sub/.yarn/plugins/p.cjs",
    ];
    const r = run(full, `${creations.join("; ")}; ls -A | tr '\\n' ' '`);
    expect(r.stderr).toContain("it was moved to");
    const after = readdirSync(s.project).sort();
    // `.yarn` is the parent `mkdir -p` made for `.yarn/plugins` and `.yarn/releases` (not control).
    expect(after.filter((e) => !before.includes(e)).sort()).toEqual([".yarn", "deep"]);
    for (const rel of [
      ...SANDBOX_CONTROL_NAMES,
      "sub/.opencode",
      "sub/opencode.json",
      "sub/.npmrc",
      "sub/.yarn/plugins",
      "deep/a/.git",
    ])
      expect(existsSync(join(s.project, rel)), rel).toBe(
        rel === ".git/config" ||
          rel === ".opencode" ||
          rel === ".git/hooks" ||
          rel === ".git/info" ||
          rel === ".git/branches",
      );
    expect(readFileSync(join(s.project, ".git/config"), "utf8")).not.toContain("plugin");
  });

  it("removes a new control file even when the command is killed", async () => {
    const child = spawn("/bin/bash", ["-c", line(full, "echo '{}' > opencode.json; sleep 30")], {
      detached: true,
      env: hostEnv(),
    });
    const done = new Promise((r) => child.on("exit", r));
    for (let i = 0; i < 200 && !existsSync(join(s.project, "opencode.json")); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(join(s.project, "opencode.json"))).toBe(true);
    process.kill(-(child.pid as number), "SIGTERM");
    await done;
    // The guard outlives the launcher by the time it takes to see the sandbox gone and revert.
    for (let i = 0; i < 400 && existsSync(join(s.project, "opencode.json")); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(join(s.project, "opencode.json"))).toBe(false);
    expect(readdirSync(s.project)).not.toContain("opencode.json");
  });

  it("cannot create .git when the project has none", () => {
    const bare = join(s.root, "no-git");
    mkdirSync(bare);
    const r = run(full, "git init -q . && ls -A && echo made > ok.txt", { cwd: bare });
    expect(r.stdout).toBe(".git\n");
    expect(readdirSync(bare)).toEqual(["ok.txt"]);
  });

  it("keeps the whole project read-only under filesystem: read", () => {
    const r = run(readOnly, "cat README.md && echo x > new.txt");
    expect(r.stdout).toBe("readme\n");
    expect(r.stderr).toContain("Read-only file system");
    expect(existsSync(join(s.project, "new.txt"))).toBe(false);
  });

  it("shows nothing of the home dir, the orchestrator's state or files outside the allowed paths", () => {
    const targets = [
      join(s.home, ".ssh/id_rsa"),
      join(s.home, ".local/share/opencode/orchestra/worker-secret"),
      join(s.home, ".local/share/opencode/orchestra/registry.json"),
      join(s.home, ".config/opencode/opencode.json"),
      join(s.home, "notes.txt"),
      join(s.outside, "secret.txt"),
    ];
    const r = run(full, `ls -A ~ | wc -l; cat ${targets.map((t) => `'${t}'`).join(" ")}; echo "home=$HOME"`);
    expect(r.stdout).toBe(`0\nhome=${s.home}\n`);
    for (const t of targets) expect(r.stderr).toContain(`${t}: No such file or directory`);
  });

  it("hides the orchestrator's state and ~/.ssh even when the project is the home dir", () => {
    const r = run(full, "cat .ssh/id_rsa .local/share/opencode/orchestra/worker-secret; cat notes.txt", {
      cwd: s.home,
    });
    expect(r.stdout).toBe("HOME-FILE");
    expect(r.stdout).not.toMatch(/SSH-PRIVATE-KEY|WORKER-SECRET/);
  });

  it("never returns a denied file's bytes: globs, braces, recursive grep, git grep", () => {
    const r = run(
      secrets,
      "cat .en? config/*.key {node_modules/pkg/.env,README.md}; grep -r . . 2>/dev/null; git grep -e . --untracked; cat ~/.ssh/id_rsa",
    );
    expect(r.stdout).toContain("readme");
    expect(r.stdout).not.toMatch(/ENV-SECRET|KEY-SECRET|NODE-MODULES-SECRET|SSH-PRIVATE-KEY/);
  });

  it("passes no API key, host port or server password into the environment", () => {
    const r = run(full, "env");
    expect(r.stdout).toContain("ORCHESTRA_SANDBOX=1");
    expect(r.stdout).not.toMatch(
      /ANTHROPIC_API_KEY|sk-ant-FAKE-KEY|ORCHESTRA_HOST_PORT|OPENCODE_SERVER_PASSWORD|hunter2/,
    );
    expect(r.stdout).not.toMatch(/XDG_DATA_HOME/);
  });

  it("reaches no unix socket outside under network: none, and no network at all", async () => {
    const bus = join(s.root, "run/user/1000/bus");
    const js = (target: string) =>
      `node -e 'const c=require("net").connect(${target});c.on("data",d=>process.stdout.write(d));c.on("error",e=>console.log(e.code));setTimeout(()=>{console.log("TIMEOUT");process.exit()},5000).unref()'`;
    // The same probes succeed outside the sandbox (asynchronously: the servers live in this process).
    const outside = (command: string) =>
      new Promise<string>((resolve) => {
        execFile("/bin/bash", ["-c", command], { timeout: 30_000 }, (_e, stdout) => resolve(stdout));
      });
    expect(await outside(js(JSON.stringify(bus)))).toBe("unix-pong\n");
    const abstract = `{path:"\\0${abstractName.slice(1)}"}`;
    expect(await outside(js(abstract))).toBe("abstract-pong\n");
    expect(await runAsync(full, js(JSON.stringify(bus)))).toBe("ENOENT\n");
    expect(await runAsync(full, js(abstract))).toBe("ECONNREFUSED\n");
    expect(await runAsync(full, "ls /run /var/run 2>&1 | grep -c 'No such file'")).toBe("2\n");
    const tcp = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`;
    expect(await runAsync(full, tcp)).toBe("");
    expect(await runAsync(online, tcp)).toBe("pong\n");
  });

  it("keeps existing git hooks folders (.husky/, .githooks/) read-only: a worker plants no hook", () => {
    for (const dir of [".husky/_", ".githooks"]) mkdirSync(join(s.project, dir), { recursive: true });
    writeFileSync(join(s.project, ".husky/pre-commit"), "npm test\n");
    try {
      const r = run(
        full,
        "echo evil > .husky/post-merge; echo evil >> .husky/pre-commit; echo evil > .husky/_/post-merge; echo evil > .githooks/post-commit; echo done",
      );
      expect(r.stdout).toBe("done\n");
      expect(readFileSync(join(s.project, ".husky/pre-commit"), "utf8")).toBe("npm test\n");
      for (const f of [".husky/post-merge", ".husky/_/post-merge", ".githooks/post-commit"])
        expect(existsSync(join(s.project, f))).toBe(false);
    } finally {
      for (const dir of [".husky", ".githooks"])
        rmSync(join(s.project, dir), { recursive: true, force: true });
    }
  });

  it("passes the command through the outer shell unchanged (quoting round trip)", () => {
    const tricky = `printf '%s|' "it's" '$HOME' "a\\\\b" '!x' 'two  spaces' "$(echo sub)" && echo`;
    const direct = spawnSync("/bin/bash", ["-c", tricky], { encoding: "utf8", cwd: s.project });
    const sandboxed = run(online, tricky);
    expect(sandboxed.stdout).toBe(direct.stdout);
    expect(sandboxed.stdout).toBe("it's|$HOME|a\\b|!x|two  spaces|sub|\n");
  });
});
