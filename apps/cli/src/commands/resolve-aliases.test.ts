import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../test-support/run-cli.js";

const here = dirname(fileURLToPath(import.meta.url));
const snapshot = resolve(here, "../../../../packages/resolver/fixtures/opencode-1.18.33-provider.json.gz");
const CONNECTED = "anthropic,openai,google";
let root: string;

/** `orchestra <args>` in the test's directory, with a HOME of its own (no global config of the machine). */
const orchestra = (args: string[]) =>
  runCli(args, {
    cwd: root,
    env: { ...process.env, HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "home", ".config") },
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-resolve-aliases-"));
  await writeFile(
    join(root, "aliases.json"),
    JSON.stringify({
      modelAliases: { sonnet: "anthropic/claude-sonnet-4-5", best: "sonnet", loop: "loop2", loop2: "loop" },
    }),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Each run parses the 8,205-model snapshot in a fresh process; allow for a loaded machine.
describe("orchestra resolve --list-aliases", { timeout: 60_000 }, () => {
  it("--list-aliases prints the effective table: user aliases, defaults, which wins, what each resolves to", async () => {
    const args = [
      "resolve",
      "--list-aliases",
      "--catalog",
      snapshot,
      "--config",
      "aliases.json",
      "--connected",
    ];
    const json = await orchestra([...args, CONNECTED, "--json"]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.ok).toBe(true);
    const row = (name: string, source: string) =>
      out.aliases.find((a: { name: string; source: string }) => a.name === name && a.source === source);
    expect(row("sonnet", "user")).toMatchObject({
      active: true,
      overridesDefault: true,
      resolved: { ok: true, model: "anthropic/claude-sonnet-4-5" },
    });
    expect(row("sonnet", "default")).toMatchObject({ active: false });
    expect(row("gemini-flash", "default")).toMatchObject({
      active: true,
      resolved: { ok: true, model: "google/gemini-3.8-flash" },
    });
    expect(row("loop", "user")).toMatchObject({ resolved: { ok: false, code: "RESOLVER_ALIAS_CYCLE" } });
    const human = await orchestra([...args, CONNECTED]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^opus +default +anthropic\/claude-opus-5-5/m);
    expect(human.stdout).toMatch(/^sonnet +user, overrides the default +anthropic\/claude-sonnet-4-5/m);
    expect(human.stdout).toMatch(/^sonnet +default, overridden by your alias/m);
    expect(human.stdout).toMatch(/^loop +user +\[RESOLVER_ALIAS_CYCLE\]/m);
  });
});
