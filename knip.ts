import type { KnipConfig } from "knip";

// knip: no unused files, exports or dependencies, and no import circle (`pnpm knip`).
// Entries come from the packages themselves: `exports` and `bin` (mapped to their sources), the
// tsup configs' `entry`, the package.json scripts (scripts/, bench/) and, through knip's vitest plugin,
// every test and bench file, so an export that only a test uses counts as used. Named here: every
// test fixture that a test or bench starts as a process or plugin by its path (knip follows
// `new URL("…", import.meta.url)` but not `join(…)`, so all are named), a script run by hand, and a
// dependency used by path rather than imported.

const config: KnipConfig = {
  // The default issue types plus import circles.
  include: [
    "files",
    "dependencies",
    "devDependencies",
    "optionalPeerDependencies",
    "unlisted",
    "binaries",
    "unresolved",
    "exports",
    "types",
    "enumMembers",
    "namespaceMembers",
    "duplicates",
    "catalog",
    "catalogReferences",
    "cycles",
  ],
  // System programs that tests, scripts and the sandbox run; none is an npm package.
  ignoreBinaries: ["bwrap", "rg", "apt-get", "chattr", "mvn", "java", "javac", "mkfifo"],
  workspaces: {
    ".": {
      // Links the `orchestra` bin at the root, so `pnpm exec orchestra` works after the README's first command.
      // publint and attw are run by `pnpm release:check` (scripts/release/steps.ts) from node_modules/.bin.
      ignoreDependencies: ["@orchestra/cli", "publint", "@arethetypeswrong/cli"],
    },
    "scripts/release": {
      // The README-example helpers it imports from apps/cli/src/test-support use the testkit; the
      // dependency makes turbo build it before this package's typecheck.
      ignoreDependencies: ["@orchestra/testkit"],
    },
    "apps/demo": {
      // The demo loads the plugin by path (`apps/plugin/dist/index.js`) into a real OpenCode; the
      // dependency makes turbo build the plugin first.
      ignoreDependencies: ["@orchestra/plugin"],
    },
    "apps/plugin": {
      entry: ["test-fixtures/owner-orchestrator.mjs"],
    },
    "docs-site": {
      // TypeDoc reads the eleven packages by path (typedoc.json `entryPoints`, one program per package,
      // whose imports of the others resolve to their built types); the dependencies make turbo build
      // them before the API reference.
      // @types/markdown-it: the types of markdown-it (which ships none) for test/github-markdown.ts.
      ignoreDependencies: [
        "@orchestra/config",
        "@orchestra/core",
        "@orchestra/health",
        "@orchestra/memory",
        "@orchestra/permissions",
        "@orchestra/process",
        "@orchestra/profiles",
        "@orchestra/resolver",
        "@orchestra/runtime",
        "@orchestra/testkit",
        "@orchestra/warm-pool",
        "@types/markdown-it",
      ],
      // Run by the browser test by path (test/chromium.ts).
      entry: ["scripts/*.mjs"],
    },
    "packages/health": { entry: ["test-fixtures/stub-worker.mjs"] },
    "packages/memory": { entry: ["test-fixtures/concurrent-writer.ts"] },
    // Its scripts are run by the test setup by path, or by hand (option-table-draft.mjs).
    "packages/permissions": { entry: ["scripts/*.mjs"] },
    "packages/process": {
      // `resolveOpencodeBinary` finds the `opencode` executable in the opencode-ai package's
      // directory (a path, not an import); the tests resolve it from here.
      ignoreDependencies: ["opencode-ai"],
    },
    "packages/runtime": {
      entry: [
        "test-fixtures/fake-opencode.mjs",
        "test-fixtures/child-orchestrator.ts",
        "test-fixtures/shutdown-race.ts",
        "test-fixtures/handshake-plugin.mjs",
      ],
    },
    "packages/testkit": {
      entry: ["test-fixtures/echo-plugin.js"],
      // The opencode binary is resolved by path from the opencode-ai package beside the testkit,
      // for every package's tests.
      ignoreDependencies: ["opencode-ai"],
    },
  },
};

export default config;
