import { rmSync } from "node:fs";
import { catalogFromOpencode } from "@orchestra/resolver";
import { afterAll, describe, expect, it } from "vitest";
import { checkBudgets } from "./budgets.js";
import { resolveProfileModels } from "./profile-models.js";
import type { ServerFacts } from "./server-access.js";
import { readConfig, readProfiles } from "./setup.js";
import { tempSetup } from "./test-setup.js";

const access = { url: "http://127.0.0.1:1", username: "opencode" };
const setup = tempSetup("budgets");
afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

/** `GET /provider` as OpenCode 1.18.33 answers for the scripted model's fake-fast and fake-unpriced (no cost: 0). */
const catalog = catalogFromOpencode({
  all: [
    {
      id: "scripted",
      name: "Scripted",
      env: [],
      models: {
        "fake-fast": {
          id: "fake-fast",
          name: "Fake Fast",
          cost: { input: 0.1, output: 0.4, cache: { read: 0, write: 0 } },
          capabilities: { toolcall: true },
        },
        "fake-unpriced": {
          id: "fake-unpriced",
          name: "Fake Unpriced",
          cost: { input: 0, output: 0, cache: { read: 0, write: 0 } },
          capabilities: { toolcall: true },
        },
      },
    },
  ],
  connected: ["scripted"],
});

async function scenario(config: unknown, withServer = true) {
  setup.write("project/orchestrator.json", JSON.stringify(config));
  const read = await readConfig(setup);
  if (!read.ok) throw read.error;
  const registry = await readProfiles(setup, read);
  const server: ServerFacts | undefined = withServer ? { access, catalog: { ok: true, catalog } } : undefined;
  const models = resolveProfileModels(registry, catalog, { config: read.loaded.config });
  return checkBudgets(read.loaded.config, registry, server, models);
}

const profiles = [
  { id: "cheap", extends: "coder", model: "scripted/fake-fast" },
  { id: "unpriced", extends: "coder", model: "scripted/fake-unpriced" },
];

describe("checkBudgets", () => {
  it("passes without budgets", async () => {
    expect(await scenario({})).toMatchObject({ id: "budgets", status: "pass", message: "no budgets set" });
  });

  it("passes a dollar budget over a model with known prices", async () => {
    expect(await scenario({ profiles, budgets: { cheap: { maxCostUsd: 1 } } })).toMatchObject({
      status: "pass",
      message: "1 budget set",
    });
  });

  it("warns for a dollar budget over a model with unknown prices (not a silent pass)", async () => {
    const result = await scenario({
      profiles,
      budgets: { unpriced: { maxCostUsd: 1 }, cheap: { maxTokens: 10 } },
    });
    expect(result.status).toBe("warn");
    expect(result.message).toContain(
      'budgets.unpriced.maxCostUsd ($1) cannot hold: the model scripted/fake-unpriced of profile "unpriced" has unknown prices',
    );
    expect(result.hint).toContain("add maxTokens");
  });

  it("warns for a budget that names no profile, and says when prices were not checked (no --server)", async () => {
    const result = await scenario({ profiles, budgets: { nobody: { maxTokens: 5 } } }, false);
    expect(result.status).toBe("warn");
    expect(result.message).toContain("budgets.nobody names no profile");
    const unchecked = await scenario({ profiles, budgets: { unpriced: { maxCostUsd: 1 } } }, false);
    expect(unchecked).toMatchObject({ status: "pass" });
    expect(unchecked.message).toContain("the models' prices were not checked: give --server URL");
  });
});
