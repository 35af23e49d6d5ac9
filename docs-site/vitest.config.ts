import { defineProject } from "vitest/config";

export default defineProject({ test: { name: "docs-site", include: ["test/**/*.test.ts"] } });
