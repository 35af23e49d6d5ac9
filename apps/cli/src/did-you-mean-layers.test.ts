// The same typo gets the same suggestion in every layer the CLI shows: the config loader, the profile validator
// and the resolver's model-config check all take theirs from @orchestra/core's one rule. Before,
// each had its own copy: `perf` got "performance" from the config and nothing from the resolver;
// `system` got "filesystem" from the config and nothing from a markdown profile.

import { validateConfig } from "@orchestra/config";
import { didYouMean } from "@orchestra/core";
import { validateProfileDefinition } from "@orchestra/profiles";
import { buildCatalogIndex, validateModelConfig } from "@orchestra/resolver";
import { describe, expect, it } from "vitest";

const MODES = ["performance", "balanced", "economical"];
const CATEGORIES = ["filesystem", "execution", "network"];

describe("did-you-mean across layers", () => {
  it("suggests the same selection mode in the config loader and in the resolver", () => {
    expect(didYouMean("perf", MODES)).toBe("performance");
    const config = validateConfig({ modelSelection: { mode: "perf" } });
    expect(config.ok).toBe(false);
    const fromConfig = config.ok ? undefined : config.issues.find((i) => i.path === "modelSelection.mode");
    expect(fromConfig?.didYouMean).toBe("performance");
    const fromResolver = validateModelConfig(
      { modelSelection: { mode: "perf" } },
      buildCatalogIndex({ providers: [], connected: [] }),
    ).find((i) => i.path === "modelSelection.mode");
    expect(fromResolver?.suggestions).toEqual(["performance"]);
  });

  it("suggests the same permission category in orchestrator.json and in a markdown profile", () => {
    expect(didYouMean("system", CATEGORIES)).toBe("filesystem");
    const permissions = { categories: { system: "read" } };
    const config = validateConfig({ profiles: [{ id: "x", permissions }] });
    const fromConfig = config.ok
      ? undefined
      : config.issues.find((i) => i.path.endsWith("categories.system"));
    expect(fromConfig?.didYouMean).toBe("filesystem");
    const profile = validateProfileDefinition({ id: "x", permissions }, { file: "x.md" });
    const fromProfile = profile.ok
      ? undefined
      : profile.issues.find((i) => i.path.endsWith("categories.system"));
    expect(fromProfile?.didYouMean).toBe("filesystem");
  });
});
