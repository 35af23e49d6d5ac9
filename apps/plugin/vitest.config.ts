import { defineProject } from "vitest/config";

// Tests drive a real OpenCode: the first prompt on a fresh server alone takes 3–5 s on 2 cores.
// The global setup installs bubblewrap where it is missing (sandboxed workers need a real one).
export default defineProject({
  test: {
    name: "plugin",
    testTimeout: 120_000,
    hookTimeout: 240_000,
    globalSetup: ["scripts/ensure-bubblewrap.setup.ts"],
  },
});
