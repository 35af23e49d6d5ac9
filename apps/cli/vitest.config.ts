import { defineProject } from "vitest/config";

// Some commands start real `opencode serve` processes: a few seconds each on 2 cores.
export default defineProject({ test: { name: "cli", testTimeout: 180_000, hookTimeout: 180_000 } });
