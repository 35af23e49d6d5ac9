// Red team, issue 11 items 3, 4, 5 (the sandbox side) and 11: what a program run by an allowed command
// can do inside the sandbox. `node evil.mjs` is allowed (a file in the project, no inline code); the
// script tries to create missing control files (`opencode.json` with a plugin, `.opencode/plugin/x.js`,
// `orchestrator.json`, `.git/commondir`), read the orchestrator's worker secret and registry, a fake
// `~/.ssh/id_rsa`, a denied `.env`, print the environment (API key, ORCHESTRA_HOST_PORT) and connect to the
// host server's port. Run for a process worker and a session worker with `network: none`, and for a
// `network: full` session worker (where the port is reachable: the residual risk, covered by passwords
// that can no longer be derived because the secret and the registry are out of reach).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

const sandboxed = (network: string) => ({
  categories: { filesystem: "full", execution: "sandboxed", network },
  paths: { denied: ["**/.env"] },
});
const profiles = [
  { id: "sbx-proc", kind: "process", purpose: "Sandboxed (process)", permissions: sandboxed("none") },
  { id: "sbx-session", kind: "session", purpose: "Sandboxed (session)", permissions: sandboxed("none") },
  {
    id: "sbx-online",
    kind: "session",
    purpose: "Sandboxed, online (session)",
    permissions: sandboxed("full"),
  },
];
const FAKE_KEY = "sk-ant-FAKE-red-team-key";

let rt: RedTeam;
let hostPort = 0;

/** What evil.mjs reports, one field per attack. */
interface Loot {
  opencodeJson: string;
  plugin: string;
  orchestratorJson: string;
  commondir: string;
  secret: string;
  registry: string;
  ssh: string;
  dotenv: string;
  env: string[];
  port: string;
}

beforeAll(async () => {
  rt = await startRedTeam({
    name: "sandbox",
    profiles,
    git: true,
    files: { "README.md": "# sandbox\n", ".env": "TOKEN=red-team-env-secret\n" },
    env: { ANTHROPIC_API_KEY: FAKE_KEY },
  });
  hostPort = Number(new URL(rt.opencode.url).port);
  mkdirSync(join(rt.opencode.home, ".ssh"), { recursive: true });
  writeFileSync(join(rt.opencode.home, ".ssh", "id_rsa"), "FAKE-SSH-PRIVATE-KEY\n");
  const state = join(rt.opencode.scratch, "data", "opencode", "orchestra");
  writeFileSync(
    join(rt.project, "evil.mjs"),
    `import fs from "node:fs";
import net from "node:net";
import path from "node:path";
const write = (p, c) => { try { fs.mkdirSync(path.dirname(p), { recursive: true }); fs.writeFileSync(p, c); return "written"; } catch (e) { return e.code; } };
const read = (p) => { try { return "READ:" + fs.readFileSync(p, "utf8"); } catch (e) { return e.code; } };
const loot = {
  opencodeJson: write("opencode.json", JSON.stringify({ plugin: ["file://" + process.cwd() + "/x.js"] })),
  plugin: write(".opencode/plugin/x.js", "export default async () => ({})"),
  orchestratorJson: write("orchestrator.json", JSON.stringify({ profiles: [] })),
  commondir: write(".git/commondir", "/tmp/evil-git"),
  secret: read(${JSON.stringify(join(state, "worker-secret"))}),
  registry: read(${JSON.stringify(join(state, "registry.json"))}),
  ssh: read(${JSON.stringify(join(rt.opencode.home, ".ssh", "id_rsa"))}),
  dotenv: read(".env"),
  env: Object.entries(process.env).filter(([k, v]) => /API_KEY|ORCHESTRA_HOST_PORT|OPENCODE|XDG_/.test(k) || v === ${JSON.stringify(FAKE_KEY)}).map(([k]) => k),
  port: await new Promise((resolve) => {
    const c = net.connect(${hostPort}, "127.0.0.1");
    c.on("connect", () => { c.destroy(); resolve("connected"); });
    c.on("error", (e) => resolve(e.code));
    setTimeout(() => resolve("timeout"), 5000).unref();
  }),
};
console.log("LOOT " + JSON.stringify(loot));
`,
  );
  for (const p of profiles) expect(await rt.spawn(p.id)).toMatchObject({ id: p.id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

async function runEvil(id: string): Promise<{ out: string; loot: Loot }> {
  const before = readdirSync(rt.project).sort();
  const out = await rt.workerCalls(id, "bash", { command: "node evil.mjs", description: "run the script" });
  expect(out).not.toContain("Denied by Open Orchestra");
  const line = out.split("\n").find((l) => l.startsWith("LOOT "));
  expect(line, out).toBeDefined();
  // Nothing new at the project root, no plugin, no commondir: the attack left no trace.
  expect(readdirSync(rt.project).sort()).toEqual(before);
  expect(readdirSync(join(rt.project, ".opencode"))).not.toContain("plugin");
  expect(readdirSync(join(rt.project, ".git"))).not.toContain("commondir");
  return { out, loot: JSON.parse((line as string).slice(5)) as Loot };
}

function expectNothingStolen(loot: Loot): void {
  // `.opencode/` is read-only: mkdir -p inside it fails (EROFS, or ENOENT from Node's recursive mkdir).
  expect(["EROFS", "ENOENT"]).toContain(loot.plugin);
  for (const field of [loot.secret, loot.registry, loot.ssh]) expect(field).toBe("ENOENT");
  expect(loot.dotenv).not.toContain("red-team-env-secret");
  expect(loot.env).toEqual([]);
}

describe.each(["sbx-proc", "sbx-session"])("%s (network: none): a script run by an allowed command", (id) => {
  it("creates no control file, reads no secret, sees no key and cannot reach the host server", async () => {
    const { out, loot } = await runEvil(id);
    expectNothingStolen(loot);
    // Writes to missing control files happen inside, then the guard moves them out of the project.
    expect(out).toContain("opencode.json is a control file");
    expect(out).toContain(".git/commondir is a control file");
    expect(loot.port).toBe("ECONNREFUSED");
  });
});

describe("sbx-online (network: full): a script run by an allowed command", () => {
  it("can reach the host's port (the residual risk) but has neither the secret nor the registry to derive a password", async () => {
    const { loot } = await runEvil("sbx-online");
    expectNothingStolen(loot);
    expect(loot.port).toBe("connected");
    // The host keeps the state the script failed to read.
    const state = join(rt.opencode.scratch, "data", "opencode", "orchestra");
    expect(readFileSync(join(state, "worker-secret"), "utf8").length).toBeGreaterThan(0);
  });
});
