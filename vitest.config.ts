import { defineConfig } from "vitest/config";

// Run every package's tests from the root with `pnpm vitest`; turbo runs them per package in CI.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "scripts/release"],
  },
});
