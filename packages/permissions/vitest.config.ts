import { defineProject } from "vitest/config";

// The global setup installs bubblewrap where it is missing (the sandbox tests need a real one).
export default defineProject({ test: { name: "permissions", globalSetup: ["test/global-setup.ts"] } });
