import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const cli = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");
const run = promisify(execFile);

let root: string;

async function orchestra(args: string[], cwd = root) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-cli-profiles-"));
  await mkdir(join(root, ".opencode", "agent"), { recursive: true });
  await writeFile(
    join(root, ".opencode", "agent", "reviewer.md"),
    "---\nname: reviewer\nextends: architect\ndescription: Reviews diffs.\n---\nReview the diff.\n",
  );
  await writeFile(
    join(root, "orchestrator.json"),
    JSON.stringify({
      profiles: [
        { id: "safe-coder", extends: "coder", permissions: { categories: { execution: "none" } } },
        { id: "online-coder", extends: "coder", permissions: { categories: { network: "full" } } },
        { id: "full-stack", compose: ["coder", "docs"], model: "auto:code" },
      ],
    }),
  );
  await writeFile(
    join(root, "broken.json"),
    JSON.stringify({ profiles: [{ id: "bad", permissions: { categories: { fileSystem: "read" } } }] }),
  );
  await writeFile(
    join(root, "workers.json"),
    JSON.stringify({ workers: ["docs", { id: "scout", extends: "explorer", kind: "process" }] }),
  );
  await writeFile(
    join(root, "cycle.json"),
    JSON.stringify({ profiles: [{ id: "fine" }, { id: "loop", extends: "loop" }] }),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("orchestra profiles show", { timeout: 60_000 }, () => {
  it("prints a built-in with the provenance of each field", async () => {
    const r = await orchestra(["profiles", "show", "coder"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^coder: Coder \(built-in\)\n/);
    expect(r.stdout).toMatch(/execution\s+sandboxed\s+← coder\n/);
  });

  it("--json gives the effective profile, provenance and source of a config profile", async () => {
    const r = await orchestra([
      "profiles",
      "show",
      "online-coder",
      "--config",
      "orchestrator.json",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.profile.permissions.categories).toEqual({
      filesystem: "full",
      execution: "sandboxed",
      network: "full",
    });
    expect(out.profile.model).toBe("auto:code");
    expect(out.provenance.fields.model).toEqual({ from: ["coder"], rule: "inherited" });
    expect(out.provenance.widenings).toEqual([
      { path: "permissions.categories.network", by: "online-coder", from: "localhost", to: "full" },
    ]);
    // The config is loaded by @orchestra/config, which names files by their absolute path.
    expect(out.source).toEqual({ kind: "config", file: join(root, "orchestrator.json"), index: 1 });
  });

  it("a profile object in workers is a profile too, its source naming workers[i]", async () => {
    const r = await orchestra(["profiles", "show", "scout", "--config", "workers.json", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.profile.kind).toBe("process");
    expect(out.provenance.fields.kind).toEqual({ from: ["scout"], rule: "own" });
    expect(out.source).toEqual({
      kind: "config",
      file: join(root, "workers.json"),
      index: 1,
      key: "workers",
    });
  });

  it("shows the widening in the text view and loads markdown profiles from --project", async () => {
    const text = await orchestra(["profiles", "show", "online-coder", "--config", "orchestrator.json"]);
    expect(text.stdout).toContain("permissions.categories.network: localhost → full (by online-coder)");
    const md = await orchestra(["profiles", "show", "reviewer", "--json"], tmpdir());
    expect(md.code).toBe(1);
    const here = await orchestra(["profiles", "show", "reviewer", "--json", "--project", root], tmpdir());
    expect(JSON.parse(here.stdout).profile.systemPrompt).toBe("Review the diff.");
  });

  it("fails with exit 1 and the error code for an invalid config, a cycle or an unknown profile", async () => {
    // The config is validated once, by the config loader, as the plugin does: an invalid entry
    // refuses the whole file, naming the file and the JSON path.
    const bad = await orchestra(["profiles", "show", "fine", "--config", "broken.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(join(root, "broken.json"));
    expect(bad.stderr).toContain("profiles[0].permissions.categories.fileSystem: unknown key");
    expect(bad.stderr).toContain('did you mean "filesystem"?');
    const loop = await orchestra(["profiles", "show", "loop", "--config", "cycle.json"]);
    expect(loop.code).toBe(1);
    expect(loop.stderr).toContain("cycle loop → loop");
    expect(loop.stderr).toContain(`${join(root, "cycle.json")}: profiles[1].extends: cycle loop → loop`);
    const missing = await orchestra(["profiles", "show", "codr"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No profile "codr"');
    expect(missing.stderr).toContain('did you mean "coder"?');
  });
});

describe("orchestra profiles list", { timeout: 60_000 }, () => {
  it("lists the built-ins and the project's profiles", async () => {
    const r = await orchestra(["profiles", "list", "--config", "orchestrator.json"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").map((l) => l.split(/\s+/)[0])).toEqual([
      "vision",
      "docs",
      "coder",
      "architect",
      "explorer",
      "memory",
      "safe-coder",
      "online-coder",
      "full-stack",
      "reviewer",
      "",
    ]);
  });

  it("fails with the one --json failure object, the listing under `profiles`, exit 1", async () => {
    const r = await orchestra(["profiles", "list", "--config", "cycle.json", "--json"]);
    expect(r.code).toBe(1);
    const failure = JSON.parse(r.stdout) as {
      ok: boolean;
      code: string;
      message: string;
      hints: string[];
      profiles: { id: string; ok: boolean; error?: { code: string } }[];
    };
    expect(Object.keys(failure).sort()).toEqual(["code", "hints", "message", "ok", "profiles"]);
    expect(failure).toMatchObject({ ok: false, code: "PROFILE_CYCLE" });
    expect(failure.message).toContain(`${join(root, "cycle.json")}: profiles[1].extends: cycle loop → loop`);
    const out = failure.profiles;
    expect(out.filter((e) => !e.ok).map((e) => [e.id, e.error?.code])).toEqual([["loop", "PROFILE_CYCLE"]]);
    expect(out.find((e) => e.id === "fine")?.ok).toBe(true);
  });

  it("refuses an invalid config whole (CONFIG_INVALID), as the plugin does", async () => {
    const r = await orchestra(["profiles", "list", "--config", "broken.json", "--json"]);
    expect(r.code).toBe(1);
    // --json: exactly one failure object on stdout, naming the JSON path.
    const failure = JSON.parse(r.stdout) as { ok: boolean; code: string; message: string; hints: string[] };
    expect(failure).toMatchObject({ ok: false, code: "CONFIG_INVALID" });
    expect(failure.message).toContain("profiles[0].permissions.categories.fileSystem: unknown key");
    expect(failure.hints.length).toBeGreaterThan(0);
  });
});
