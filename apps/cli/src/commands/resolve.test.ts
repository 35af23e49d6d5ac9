import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, "../../dist/main.js");
const snapshot = resolve(here, "../../../../packages/resolver/fixtures/opencode-1.18.33-provider.json.gz");
const run = promisify(execFile);

let root: string;
let server: Server;
let serverUrl: string;

async function orchestra(args: string[], cwd = root) {
  try {
    // A HOME of its own: no global orchestrator.json of the machine's user is read.
    const env = { ...process.env, HOME: join(root, "home"), XDG_CONFIG_HOME: join(root, "home", ".config") };
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orchestra-resolve-"));
  await writeFile(
    join(root, "aliases.json"),
    JSON.stringify({
      modelAliases: { sonnet: "anthropic/claude-sonnet-4-5", best: "sonnet", loop: "loop2", loop2: "loop" },
      modelSelection: { mode: "economical", maxCostPer1kTokens: 0.005, preferredProviders: ["openai"] },
    }),
  );
  await writeFile(join(root, "bad.json"), "{ nope");
  await writeFile(
    join(root, "invalid.json"),
    JSON.stringify({
      modelSelection: { mode: "cheapest", maxCostPer1kTokens: -1 },
      modelAliases: { sonnet: 3 },
    }),
  );
  await writeFile(
    join(root, "overrides.jsonc"),
    `{
      // JSONC, like every orchestrator config
      "capabilityOverrides": { "openai/gpt-4o": { "reasoning": true, "contextWindow": 200000 } },
    }`,
  );
  // A stand-in for `opencode serve`: answers GET /provider with the real snapshot.
  const body = gunzipSync(readFileSync(snapshot));
  server = createServer((req, res) => {
    if (req.url === "/provider") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    } else if (req.url === "/config") {
      // The user's OpenCode config: its default model is what `auto` means.
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ model: "anthropic/claude-haiku-4-5" }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(root, { recursive: true, force: true });
});

const CONNECTED = "anthropic,openai,google";

// Each run parses the 8,218-model snapshot in a fresh process; allow for a loaded machine.
describe("orchestra resolve", { timeout: 60_000 }, () => {
  it("resolves an alias from --config and prints one JSON object with ok: true", async () => {
    const r = await orchestra([
      "resolve",
      "best",
      "--catalog",
      snapshot,
      "--config",
      "aliases.json",
      "--connected",
      CONNECTED,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, model: "anthropic/claude-sonnet-4-5", provenance: "alias" });
    expect(out.cost).toMatchObject({ input: 3, inputPer1k: 0.003, unit: "USD per 1M tokens" });
    expect(out.reasons[0]).toContain('alias "best" → "sonnet"');
  });

  it("applies modelSelection from --config to auto tags (economical, capped, preferred provider first)", async () => {
    const r = await orchestra([
      "resolve",
      "auto:vision",
      "--catalog",
      snapshot,
      "--config",
      "aliases.json",
      "--connected",
      CONNECTED,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.providerId).toBe("openai");
    expect(out.capabilities.vision).toBe(true);
    expect(out.cost.input / 1000).toBeLessThanOrEqual(0.005);
    expect(out.reasons.join("\n")).toContain('preferred provider "openai"');
  });

  it("without --config, reads the merged config as every command does (global + project, JSONC)", async () => {
    const project = join(root, "project");
    await mkdir(join(project, ".opencode"), { recursive: true });
    await writeFile(
      join(project, ".opencode", "orchestrator.json"),
      '{ // JSONC\n "modelAliases": { "mine": "openai/gpt-4o" }, }',
    );
    const here = await orchestra(
      ["resolve", "mine", "--catalog", snapshot, "--connected", "openai", "--json"],
      project,
    );
    expect(JSON.parse(here.stdout)).toMatchObject({ ok: true, model: "openai/gpt-4o", provenance: "alias" });
    // --project names the directory from elsewhere; without it, an alias of another project is unknown.
    const there = await orchestra([
      "resolve",
      "mine",
      "--catalog",
      snapshot,
      "--connected",
      "openai",
      "--project",
      project,
      "--json",
    ]);
    expect(JSON.parse(there.stdout)).toMatchObject({ ok: true, model: "openai/gpt-4o" });
    const elsewhere = await orchestra([
      "resolve",
      "mine",
      "--catalog",
      snapshot,
      "--connected",
      "openai",
      "--json",
    ]);
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ ok: false });
  });

  it("--allow-free lets auto tags pick free variants of the connected providers", async () => {
    const args = ["resolve", "auto:fast", "--catalog", snapshot, "--connected", "opencode", "--json"];
    const refused = JSON.parse((await orchestra(args)).stdout) as { ok: boolean; hints: string[] };
    expect(refused.ok).toBe(false);
    expect(refused.hints.join(" ")).toContain("allowFree");
    expect(JSON.parse((await orchestra([...args, "--allow-free"])).stdout)).toMatchObject({
      ok: true,
      model: expect.stringMatching(/^opencode\//),
    });
  });

  it("never picks OpenCode's built-in free provider unless the config prefers it", async () => {
    // The snapshot was taken with only the built-in provider connected (no key of the user's).
    const auto = await orchestra(["resolve", "auto:fast", "--catalog", snapshot, "--json"]);
    expect(JSON.parse(auto.stdout)).toMatchObject({ ok: false, code: "RESOLVER_NO_CONNECTED_PROVIDERS" });
    const project = join(root, "prefers-opencode");
    await mkdir(project, { recursive: true });
    await writeFile(
      join(project, "orchestrator.json"),
      JSON.stringify({ modelSelection: { preferredProviders: ["opencode"] } }),
    );
    // Its models are all free variants; preferring the provider by name is choosing them (no --allow-free).
    const preferred = await orchestra(["resolve", "auto:fast", "--catalog", snapshot, "--json"], project);
    expect(JSON.parse(preferred.stdout)).toMatchObject({
      ok: true,
      model: expect.stringMatching(/^opencode\//),
    });
  });

  it("prints the model, provenance and reasons for humans", async () => {
    const r = await orchestra(["resolve", "node:code", "--catalog", snapshot, "--connected", CONNECTED]);
    expect(r.code).toBe(0);
    // The synonym written is named (describeResolution: `from "node:code"`).
    expect(r.stdout).toMatch(/^\S+\/\S+ {2}\(auto-tag, auto:code, from "node:code"\)\n/);
    expect(r.stdout).toContain("why:");
    expect(r.stdout).toContain("mode performance");
  });

  it("prints a resolution error for humans as the plugin does (describeResolverError)", async () => {
    const r = await orchestra([
      "resolve",
      "anthropic/claude-sonet-4-5",
      "--catalog",
      snapshot,
      "--connected",
      CONNECTED,
    ]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n");
    expect(lines[0]).toBe(
      'orchestra resolve: [RESOLVER_UNKNOWN_MODEL] Provider "anthropic" has no model "claude-sonet-4-5".',
    );
    expect(lines[1]).toMatch(/^Did you mean: anthropic\/claude-sonnet-4-5/);
    expect(lines[2]).toMatch(/^hint: /);
  });

  it("fetches the catalog from --server", async () => {
    const r = await orchestra([
      "resolve",
      "openai/gpt-4o",
      "--server",
      serverUrl,
      "--connected",
      CONNECTED,
      "--json",
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, model: "openai/gpt-4o", provenance: "explicit" });
  });

  it("exits 1 with the failure shape, suggestions and every fallback tried", async () => {
    const r = await orchestra([
      "resolve",
      "anthropic/claude-sonet-4-5",
      "google-vertex/claude-sonnet-5@default",
      "--catalog",
      snapshot,
      "--connected",
      CONNECTED,
      "--json",
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      ok: false,
      code: "RESOLVER_UNKNOWN_MODEL",
      input: "anthropic/claude-sonet-4-5",
    });
    expect(out.suggestions[0]).toBe("anthropic/claude-sonnet-4-5");
    expect(out.attempts.map((a: { code: string }) => a.code)).toEqual([
      "RESOLVER_UNKNOWN_MODEL",
      "RESOLVER_PROVIDER_NOT_CONNECTED",
    ]);
  });

  it("falls back and says so", async () => {
    const r = await orchestra([
      "resolve",
      "nope/x",
      "auto:fast",
      "--catalog",
      snapshot,
      "--connected",
      CONNECTED,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.provenance).toBe("fallback");
    expect(out.attempts).toEqual([
      expect.objectContaining({ ref: "nope/x", code: "RESOLVER_UNKNOWN_PROVIDER" }),
    ]);
  });

  it("reports alias cycles as a resolution error, with the config issue path in human output", async () => {
    const r = await orchestra(["resolve", "loop", "--catalog", snapshot, "--config", "aliases.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("orchestra resolve: [RESOLVER_ALIAS_CYCLE] Alias cycle: loop → loop2 → loop.");
  });

  it("reports an unreadable catalog as RESOLVER_CATALOG_UNAVAILABLE (exit 1)", async () => {
    const r = await orchestra(["resolve", "auto", "--catalog", "bad.json", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, code: "RESOLVER_CATALOG_UNAVAILABLE" });
  });

  it("exits 2 on bad usage", async () => {
    expect((await orchestra(["resolve", "auto"])).code).toBe(2); // neither --catalog nor --server
    expect((await orchestra(["resolve", "auto", "--catalog", snapshot, "--server", serverUrl])).code).toBe(2);
    expect((await orchestra(["resolve"])).code).toBe(2);
    const json = await orchestra(["resolve", "auto", "--json"]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: "CLI_USAGE" });
  });

  it("validates --config with @orchestra/config: errors name JSON paths, exit 1", async () => {
    const invalid = await orchestra(["resolve", "auto", "--catalog", snapshot, "--config", "invalid.json"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("Invalid orchestrator config (3 errors)");
    expect(invalid.stderr).toMatch(/modelSelection\.mode: .*"cheapest"/);
    expect(invalid.stderr).toContain("modelSelection.maxCostPer1kTokens:");
    expect(invalid.stderr).toContain("modelAliases.sonnet:");
    const json = await orchestra([
      "resolve",
      "auto",
      "--catalog",
      snapshot,
      "--config",
      "invalid.json",
      "--json",
    ]);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ ok: false, code: "CONFIG_INVALID" });
    expect(out.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      "modelAliases.sonnet",
      "modelSelection.maxCostPer1kTokens",
      "modelSelection.mode",
    ]);
    const parse = await orchestra([
      "resolve",
      "auto",
      "--catalog",
      snapshot,
      "--config",
      "bad.json",
      "--json",
    ]);
    expect(parse.code).toBe(1);
    expect(JSON.parse(parse.stdout)).toMatchObject({ ok: false, code: "CONFIG_PARSE" });
    const missing = await orchestra(["resolve", "auto", "--catalog", snapshot, "--config", "missing.json"]);
    // A path on the command line must exist: a usage error (exit 2) before anything is read.
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no such file: ${join(root, "missing.json")}`);
  });

  it("applies capabilityOverrides from --config, with override as the source", async () => {
    const r = await orchestra([
      "resolve",
      "openai/gpt-4o",
      "--catalog",
      snapshot,
      "--config",
      "overrides.jsonc",
      "--connected",
      CONNECTED,
      "--json",
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.capabilities).toMatchObject({ reasoning: true, contextWindow: 200_000 });
    expect(out.capabilities.sources).toMatchObject({ reasoning: "override", contextWindow: "override" });
    expect(out.capabilities.sources.toolCall).toBe("catalog");
  });

  it("rejects an unknown --connected provider with did-you-mean (it was dropped silently)", async () => {
    const human = await orchestra([
      "resolve",
      "auto",
      "--catalog",
      snapshot,
      "--connected",
      "antrhopic,openai",
    ]);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(
      '--connected: no provider "antrhopic" in the catalog; did you mean "anthropic"?',
    );
    const json = await orchestra([
      "resolve",
      "auto",
      "--catalog",
      snapshot,
      "--connected",
      "antrhopic",
      "--json",
    ]);
    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout);
    expect(out).toMatchObject({ ok: false, code: "CLI_USAGE" });
    expect(out.message).toContain('did you mean "anthropic"?');
    expect(out.hints.length).toBeGreaterThan(0);
  });

  it("resolves default aliases to the newest model of the family, with the reason", async () => {
    const r = await orchestra(["resolve", "opus", "--catalog", snapshot, "--connected", CONNECTED, "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      ok: true,
      model: "anthropic/claude-opus-5-5",
      provenance: "alias",
      input: "opus",
    });
    expect(out.reasons[0]).toContain('default alias "opus"');
  });

  it("auto is the user's default model: --default-model, or the server's config model with --server", async () => {
    const flag = await orchestra([
      "resolve",
      "auto",
      "--catalog",
      snapshot,
      "--connected",
      CONNECTED,
      "--default-model",
      "openai/gpt-4o",
      "--json",
    ]);
    const byFlag = JSON.parse(flag.stdout);
    expect(byFlag).toMatchObject({ ok: true, model: "openai/gpt-4o", provenance: "auto-tag" });
    expect(byFlag.defaultModel).toEqual({ ref: "openai/gpt-4o", from: "--default-model" });
    expect(byFlag.reasons[0]).toContain('the session default model "openai/gpt-4o" is usable');
    const server = JSON.parse(
      (await orchestra(["resolve", "auto", "--server", serverUrl, "--connected", CONNECTED, "--json"]))
        .stdout,
    );
    expect(server).toMatchObject({ ok: true, model: "anthropic/claude-haiku-4-5" });
    expect(server.defaultModel).toEqual({ ref: "anthropic/claude-haiku-4-5", from: "server config" });
    // The flag wins over the server's config.
    const both = JSON.parse(
      (
        await orchestra([
          "resolve",
          "auto",
          "--server",
          serverUrl,
          "--connected",
          CONNECTED,
          "--default-model",
          "openai/gpt-4o",
          "--json",
        ])
      ).stdout,
    );
    expect(both.model).toBe("openai/gpt-4o");
  });

  it("--allow-deprecated accepts a deprecated model named explicitly", async () => {
    const args = ["resolve", "openai/gpt-4-turbo", "--catalog", snapshot, "--connected", "openai", "--json"];
    expect(JSON.parse((await orchestra(args)).stdout)).toMatchObject({
      ok: false,
      code: "RESOLVER_DEPRECATED",
    });
    const allowed = JSON.parse((await orchestra([...args, "--allow-deprecated"])).stdout);
    expect(allowed).toMatchObject({ ok: true, model: "openai/gpt-4-turbo" });
    expect(allowed.reasons.join("\n")).toContain("allowDeprecated");
  });

  it("--allow-preview lets auto tags pick a beta model (opt-in)", async () => {
    const chat = (id: string, status: string, context: number, date: string) => ({
      id,
      name: id,
      capabilities: {
        attachment: false,
        reasoning: true,
        toolcall: true,
        input: { text: true, image: false, audio: false, video: false, pdf: false },
        output: { text: true, image: false, audio: false, video: false, pdf: false },
      },
      cost: { input: 1, output: 2, cache: { read: 0, write: 0 } },
      limit: { context, output: 32_000 },
      status,
      release_date: date,
    });
    await writeFile(
      join(root, "preview.json"),
      JSON.stringify({
        all: [
          {
            id: "acme",
            name: "Acme",
            env: ["ACME_API_KEY"],
            models: {
              "acme-one": chat("acme-one", "active", 128_000, "2025-01-01"),
              "acme-two": chat("acme-two", "beta", 1_000_000, "2026-01-01"),
            },
          },
        ],
        default: {},
        connected: ["acme"],
      }),
    );
    const args = ["resolve", "auto", "--catalog", "preview.json", "--json"];
    expect(JSON.parse((await orchestra(args)).stdout)).toMatchObject({ ok: true, model: "acme/acme-one" });
    expect(JSON.parse((await orchestra([...args, "--allow-preview"])).stdout)).toMatchObject({
      ok: true,
      model: "acme/acme-two",
    });
  });
});
