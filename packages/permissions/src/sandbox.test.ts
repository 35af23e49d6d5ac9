import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromEffective } from "./effective.js";
import { toOpencodePermission } from "./opencode-permission.js";
import { probeBubblewrap, SANDBOX_PREFIX, sandboxArgv, sandboxCommand } from "./sandbox.js";
import type { Permissions } from "./schema.js";

const full: Permissions = { categories: { filesystem: "full", execution: "sandboxed", network: "none" } };
const readOnly: Permissions = { categories: { filesystem: "read", execution: "sandboxed", network: "none" } };
const online: Permissions = { categories: { filesystem: "full", execution: "sandboxed", network: "full" } };

describe("sandboxArgv", () => {
  const opts = { cwd: "/proj", home: "/home/u", kind: () => undefined };

  it("binds the project writable under filesystem: full, with control files read-only", () => {
    const argv = sandboxArgv(full, "npm test", opts);
    expect(argv.slice(0, 4).join(" ")).toBe(SANDBOX_PREFIX);
    expect(argv.join(" ")).toContain("--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --bind /proj /proj");
    for (const rel of [".opencode", "opencode.json", ".git/hooks", ".git/config", ".npmrc"])
      expect(argv.join(" ")).toContain(`--ro-bind-try /proj/${rel} /proj/${rel}`);
    expect(argv).toContain("--unshare-all");
    expect(argv).toContain("--die-with-parent");
    expect(argv).not.toContain("--share-net");
    expect(argv.slice(-4)).toEqual(["--", "/bin/bash", "-c", "npm test"]);
  });

  it("keeps the project read-only below filesystem: full, and shares the network only for network: full", () => {
    expect(sandboxArgv(readOnly, "ls", opts).join(" ")).toContain("--ro-bind /proj /proj");
    expect(sandboxArgv(readOnly, "ls", opts)).not.toContain("--bind");
    expect(sandboxArgv(online, "ls", opts)).toContain("--share-net");
    const localhost = { categories: { ...online.categories, network: "localhost" as const } };
    expect(sandboxArgv(localhost, "ls", opts)).not.toContain("--share-net");
  });

  it("hides denied trees and files that exist, and starts in the workdir", () => {
    const kinds: Record<string, "dir" | "file"> = { "/home/u/.ssh": "dir", "/proj/.env": "file" };
    const argv = sandboxArgv(
      { ...full, paths: { denied: ["~/.ssh/**", ".env", "**/*.pem", "/proj"] } },
      "ls",
      { ...opts, kind: (p) => kinds[p], workdir: "packages/a" },
    ).join(" ");
    expect(argv).toContain("--tmpfs /home/u/.ssh --remount-ro /home/u/.ssh");
    expect(argv).toContain("--ro-bind /dev/null /proj/.env");
    expect(argv).not.toContain("*.pem");
    expect(argv).toContain("--chdir /proj/packages/a");
  });

  it("removes the worker's own server credentials from the environment", () => {
    const argv = sandboxArgv(full, "env", opts).join(" ");
    expect(argv).toContain("--unsetenv OPENCODE_SERVER_PASSWORD");
    expect(argv).toContain("--unsetenv OPENCODE_CONFIG_CONTENT");
  });

  it("refuses permissions that are not sandboxed or not valid", () => {
    expect(() => sandboxArgv({ categories: { execution: "full" } }, "ls", opts)).toThrow(
      expect.objectContaining({ code: "SANDBOX_NOT_APPLICABLE" }),
    );
    expect(() => sandboxArgv({ categories: { exec: "sandboxed" } }, "ls", opts)).toThrow(
      expect.objectContaining({ code: "PERMISSIONS_INVALID" }),
    );
  });

  it("accepts the effective shape", () => {
    const argv = sandboxArgv(
      fromEffective({
        categories: { filesystem: "full", execution: "sandboxed", network: "none" },
        tools: {},
        paths: { allowed: [], denied: [] },
      }),
      "ls",
      opts,
    );
    expect(argv).toContain("--bind");
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
  let root: string;
  let project: string;
  let outside: string;
  let server: Server;
  let port = 0;

  const run = (permissions: Permissions, command: string, env: NodeJS.ProcessEnv = process.env) =>
    spawnSync("/bin/bash", ["-c", sandboxCommand(permissions, command, { cwd: project, home: root })], {
      encoding: "utf8",
      env,
      timeout: 20_000,
    });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "orchestra-sandbox-"));
    project = join(root, "project with space");
    outside = join(root, "outside");
    for (const d of [project, outside, join(project, ".opencode"), join(project, ".git", "objects")])
      mkdirSync(d, { recursive: true });
    writeFileSync(join(project, ".opencode", "orchestrator.json"), "{}");
    writeFileSync(join(project, ".git", "config"), "[core]\n");
    mkdirSync(join(root, ".ssh"));
    writeFileSync(join(root, ".ssh", "id_rsa"), "SECRET");
    server = createServer((s) => s.end("pong\n"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it("is available on this machine", () => {
    expect(probeBubblewrap()).toMatchObject({ ok: true });
  });

  it("lets a full-filesystem command write in the project, never outside it", () => {
    const inside = run(full, "echo ok > made.txt && cat made.txt");
    expect(inside.stdout).toBe("ok\n");
    expect(readFileSync(join(project, "made.txt"), "utf8")).toBe("ok\n");

    const probe = `/orchestra-sandbox-probe-${process.pid}`;
    const outsideWrite = run(full, `echo x > ${probe}; echo x > ${join(outside, "leak.txt")}; echo done`);
    expect(outsideWrite.stderr).toContain("Read-only file system");
    expect(outsideWrite.stdout).toBe("done\n");
    expect(existsSync(probe)).toBe(false);
    expect(existsSync(join(outside, "leak.txt"))).toBe(false);
  });

  it("keeps control files read-only and the rest of .git writable", () => {
    const r = run(
      full,
      "echo x >> .opencode/orchestrator.json; echo x >> .git/config; echo obj > .git/objects/o && echo wrote",
    );
    expect(r.stderr.match(/Read-only file system/g)).toHaveLength(2);
    expect(r.stdout).toBe("wrote\n");
    expect(readFileSync(join(project, ".opencode", "orchestrator.json"), "utf8")).toBe("{}");
    expect(readFileSync(join(project, ".git", "config"), "utf8")).toBe("[core]\n");
  });

  it("keeps the whole project read-only under filesystem: read", () => {
    const r = run(readOnly, "cat .git/config && echo x > new.txt");
    expect(r.stdout).toBe("[core]\n");
    expect(r.stderr).toContain("Read-only file system");
    expect(existsSync(join(project, "new.txt"))).toBe(false);
  });

  it("hides denied trees", () => {
    const r = run({ ...full, paths: { denied: ["~/.ssh/**"] } }, `cat ${join(root, ".ssh", "id_rsa")}`);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain("SECRET");
  });

  it("has no network unless network: full", async () => {
    // Asynchronous: the listening server lives in this process and must keep answering.
    const runAsync = (permissions: Permissions, command: string) =>
      new Promise<string>((resolve) => {
        const line = sandboxCommand(permissions, command, { cwd: project, home: root });
        execFile("/bin/bash", ["-c", line], { timeout: 20_000 }, (_error, stdout) => resolve(stdout));
      });
    const probe = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`;
    expect(await runAsync(full, probe)).toBe("");
    expect(await runAsync(online, probe)).toBe("pong\n");
  });

  it("drops the worker's server password from the environment", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    const r = run(full, 'echo "[${OPENCODE_SERVER_PASSWORD-unset}] [${KEEP-unset}]"', {
      ...process.env,
      OPENCODE_SERVER_PASSWORD: "hunter2",
      KEEP: "kept",
    });
    expect(r.stdout).toBe("[unset] [kept]\n");
  });

  it("passes the command through the outer shell unchanged (quoting round trip)", () => {
    const tricky = `printf '%s|' "it's" '$HOME' "a\\\\b" '!x' 'two  spaces' "$(echo sub)" && echo`;
    const direct = spawnSync("/bin/bash", ["-c", tricky], { encoding: "utf8", cwd: project });
    const sandboxed = run(online, tricky);
    expect(sandboxed.stdout).toBe(direct.stdout);
    expect(sandboxed.stdout).toBe("it's|$HOME|a\\b|!x|two  spaces|sub|\n");
  });
});
