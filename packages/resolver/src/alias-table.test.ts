import { describe, expect, it } from "vitest";
import { aliasTable } from "./alias-table.js";
import { DEFAULT_ALIASES } from "./default-aliases.js";
import { createResolver } from "./resolver.js";
import { snapshotCatalog } from "./test-helpers.js";

describe("aliasTable", () => {
  const modelAliases = { sonnet: "anthropic/claude-sonnet-4-5", fast: "auto:fast", bad: "nope/x" };
  const resolver = createResolver(snapshotCatalog(["anthropic"]), { modelAliases });
  const rows = aliasTable(resolver, modelAliases);
  const row = (name: string, source: "user" | "default") =>
    rows.find((r) => r.name === name && r.source === source);

  it("lists the user's aliases first, then every default alias", () => {
    expect(rows.map((r) => `${r.source}:${r.name}`)).toEqual([
      "user:bad",
      "user:fast",
      "user:sonnet",
      ...DEFAULT_ALIASES.map((a) => `default:${a}`),
    ]);
  });

  it("says which one wins and what each resolves to now", () => {
    expect(row("sonnet", "user")).toMatchObject({
      active: true,
      overridesDefault: true,
      target: "anthropic/claude-sonnet-4-5",
      resolved: { ok: true, model: "anthropic/claude-sonnet-4-5" },
    });
    expect(row("sonnet", "default")).toMatchObject({ active: false, resolved: null });
    expect(row("opus", "default")).toMatchObject({
      active: true,
      overridesDefault: false,
      resolved: { ok: true, model: "anthropic/claude-opus-5-5" },
    });
    expect(row("opus", "default")?.target).toContain("Claude Opus");
    expect(row("gpt", "default")).toMatchObject({
      active: true,
      resolved: { ok: false, code: "RESOLVER_PROVIDER_NOT_CONNECTED" },
    });
    expect(row("bad", "user")).toMatchObject({ resolved: { ok: false, code: "RESOLVER_UNKNOWN_PROVIDER" } });
    const opus = row("opus", "default")?.resolved;
    expect(opus?.ok === true ? opus.reason : "").toContain('default alias "opus"');
  });
});
