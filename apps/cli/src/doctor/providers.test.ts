import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readCatalogFile } from "@orchestra/resolver";
import { afterAll, describe, expect, it } from "vitest";
import { resolveProfileModels } from "./profile-models.js";
import { checkProviders } from "./providers.js";
import type { ServerFacts } from "./server-access.js";
import { readConfig, readProfiles } from "./setup.js";
import { tempSetup } from "./test-setup.js";

const here = dirname(fileURLToPath(import.meta.url));
/** A real `GET /provider` answer of OpenCode 1.18.33, saved. */
const snapshot = join(here, "../../../../packages/resolver/fixtures/opencode-1.18.33-provider.json.gz");
const access = { url: "http://127.0.0.1:1", username: "opencode" };
const setup = tempSetup("providers");
afterAll(() => rmSync(setup.root, { recursive: true, force: true }));

async function scenario(connected: string[], profiles?: unknown) {
  if (profiles !== undefined) setup.write("project/orchestrator.json", JSON.stringify({ profiles }));
  const config = await readConfig(setup);
  if (!config.ok) throw config.error;
  const registry = await readProfiles(setup, config);
  const catalog = await readCatalogFile(snapshot, { connected });
  const server: ServerFacts = { access, catalog: { ok: true, catalog } };
  return checkProviders(server, resolveProfileModels(registry, catalog, { config: config.loaded.config }));
}

describe("checkProviders", () => {
  it("without --server: passes, saying it was not checked", () => {
    expect(checkProviders(undefined, []).message).toMatch(/^not checked: give --server URL/);
  });

  it("fails when the server's providers cannot be read", () => {
    const result = checkProviders({ access, catalog: { ok: false, reason: "ECONNREFUSED" } }, []);
    expect(result).toMatchObject({
      status: "fail",
      message: "cannot read the server's providers: ECONNREFUSED",
    });
  });

  it("fails when no provider is connected", async () => {
    const result = await scenario([]);
    expect(result).toMatchObject({ status: "fail", message: "no provider is connected in the server" });
    expect(result.hint).toContain("opencode auth login");
  });

  it("passes with the connected providers and which profiles use which", async () => {
    const result = await scenario(["anthropic"]);
    expect(result.status).toBe("pass");
    expect(result.message).toMatch(
      /^connected: anthropic; the profiles use: anthropic \(vision, docs, coder, /,
    );
  });

  it("fails when only OpenCode's built-in free provider is connected and the user did not choose it", async () => {
    const result = await scenario(["opencode"]);
    expect(result.status).toBe("fail");
    expect(result.message).toBe(
      "only OpenCode's built-in free provider (opencode) is connected, and workers use it only when it is your default model's provider or in modelSelection.preferredProviders",
    );
    expect(result.hint).toContain('add "opencode" to modelSelection.preferredProviders');
  });

  it("says workers skip the built-in provider beside the user's own", async () => {
    const result = await scenario(["anthropic", "opencode"]);
    expect(result.status).toBe("pass");
    expect(result.message).toMatch(
      /^connected: anthropic, opencode \(workers skip opencode, OpenCode's built-in free provider: .*\); the profiles use: anthropic \(/,
    );
  });

  it("warns when a profile names a provider that is not connected, saying what it uses instead", async () => {
    const result = await scenario(
      ["anthropic"],
      [{ id: "mine", extends: "coder", model: "openai/gpt-5", fallbackModels: ["auto:code"] }],
    );
    expect(result.status).toBe("warn");
    expect(result.message).toMatch(
      /\nmine: openai\/gpt-5 needs provider openai, which is not connected; it uses anthropic\/\S+ instead/,
    );
  });
});
