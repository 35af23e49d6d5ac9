import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readCatalogFile } from "@orchestra/resolver";
import { afterEach, describe, expect, it } from "vitest";
import { resolveProfileModels } from "./profile-models.js";
import { checkProfiles } from "./profiles.js";
import { readConfig, readProfiles } from "./setup.js";
import { tempSetup } from "./test-setup.js";

const here = dirname(fileURLToPath(import.meta.url));
/** A real `GET /provider` answer of OpenCode 1.18.33, saved. */
const snapshot = join(here, "../../../../packages/resolver/fixtures/opencode-1.18.33-provider.json.gz");

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

async function load(files: Record<string, string>) {
  const setup = tempSetup("profiles");
  roots.push(setup.root);
  for (const [path, text] of Object.entries(files)) setup.write(path, text);
  const config = await readConfig(setup);
  return { setup, config, registry: await readProfiles(setup, config) };
}

describe("checkProfiles", () => {
  it("passes for the built-ins, saying the models were not checked without --server", async () => {
    const { config, registry } = await load({});
    const result = checkProfiles(registry, config, undefined);
    expect(result.status).toBe("pass");
    expect(result.message).toMatch(
      /^6 enabled profiles resolve; their models were not checked \(give --server URL/,
    );
  });

  it("fails for a markdown profile that extends an unknown profile, naming its file", async () => {
    const { config, registry } = await load({
      "project/.opencode/agent/reviewer.md": "---\nname: reviewer\nextends: nonexistent\n---\nReview.\n",
    });
    const result = checkProfiles(registry, config, undefined);
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(/^1 problem in 7 enabled profiles:\n/);
    expect(result.message).toContain("reviewer.md: extends: unknown profile");
    expect(result.hint).toContain("orchestra profiles show");
  });

  it("says the config's profiles were not loaded when the config is invalid", async () => {
    const { config, registry } = await load({ "project/orchestrator.json": '{ "profiles": 3 }' });
    const result = checkProfiles(registry, config, undefined);
    expect(result.message).toContain("the config's profiles were not loaded: the config is invalid");
    // Partial, so never a pass.
    expect(result.status).toBe("warn");
    expect(result.hint).toBe("fix the config first; doctor then checks its profiles too");
  });

  it("with a catalog: fails for a model that does not resolve, passes when every one does", async () => {
    const { config, registry } = await load({
      "project/orchestrator.json": JSON.stringify({
        profiles: [{ id: "mine", extends: "coder", model: "nosuchprovider/nosuchmodel", fallbackModels: [] }],
      }),
    });
    const catalog = await readCatalogFile(snapshot, { connected: ["anthropic"] });
    const loaded = config.ok ? config.loaded.config : undefined;
    const models = resolveProfileModels(registry, catalog, { ...(loaded ? { config: loaded } : {}) });
    const failed = checkProfiles(registry, config, models);
    expect(failed.status).toBe("fail");
    expect(failed.message).toContain('mine: model "nosuchprovider/nosuchmodel" does not resolve: ');

    const builtins = await load({});
    const ok = checkProfiles(
      builtins.registry,
      builtins.config,
      resolveProfileModels(builtins.registry, catalog, {}),
    );
    expect(ok).toMatchObject({ status: "pass" });
    expect(ok.message).toContain("every model resolves against the server's catalog");
  });

  it("warns when the catalog could not be read", async () => {
    const { config, registry } = await load({});
    const result = checkProfiles(registry, config, "cannot read the server's catalog: ECONNREFUSED");
    expect(result.status).toBe("warn");
    expect(result.message).toContain(
      "their models were not checked: cannot read the server's catalog: ECONNREFUSED",
    );
  });
});
