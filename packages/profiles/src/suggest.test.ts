import { describe, expect, it } from "vitest";
import { profilesFromConfig } from "./config-profiles.js";
import { createProfileRegistry } from "./registry.js";
import { suggestProfiles } from "./suggest.js";
import { fromFiles, validated } from "./test-registry.js";

describe("suggestProfiles", () => {
  it("ranks enabled, valid profiles and returns ids", () => {
    const reg = createProfileRegistry({
      sources: [
        profilesFromConfig(
          validated([
            "coder",
            "vision",
            { id: "ui-vision", extends: "vision", tags: ["ui screenshot", "mockup"] },
          ]),
        ),
        // An invalid markdown profile fails closed: never suggested.
        fromFiles([{ id: "broken-vision", tags: ["screenshot", "image"], kind: "thread" } as { id: string }]),
      ],
    });
    const out = suggestProfiles(reg, "compare this UI screenshot with the mockup", { limit: 5 });
    // Only enabled profiles that resolve: the invalid one and the built-ins not named are left out.
    expect(out.map((s) => s.profile).sort()).toEqual(["coder", "ui-vision", "vision"]);
    expect(["vision", "ui-vision"]).toContain(out[0]?.profile);
    expect(out[2]?.profile).toBe("coder");
    expect(Object.keys(out[0] ?? {})).toEqual(["profile", "confidence", "reasons"]);
  });
});
