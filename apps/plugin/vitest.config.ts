import { defineProject } from "vitest/config";

// Tests drive a real OpenCode: the first prompt on a fresh server alone takes 3–5 s on 2 cores.
export default defineProject({ test: { name: "plugin", testTimeout: 120_000, hookTimeout: 240_000 } });
