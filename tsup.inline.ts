import type { Options } from "tsup";
import { inlinedImportMeta } from "./tsup.import-meta.ts";

/**
 * tsup options that inline a package's dependencies into its chunks, except `external` (packages
 * loaded by path, or with native modules resolved beside them). Node and Bun then load a few files
 * instead of hundreds of modules (zod, the OpenCode SDK, the workspace packages): for the CLI,
 * most of what a command paid before it did anything. `banner` lines go first (e.g. the CLI's
 * `#!/usr/bin/env node`).
 */
export function inlineDependencies(external: readonly string[], banner: readonly string[] = []): Options {
  return {
    noExternal: [new RegExp(`^(?!(${external.join("|")})(/|$))`)],
    external: [...external],
    // CommonJS dependencies (picomatch, write-file-atomic, proper-lockfile) get `require`,
    // `__filename` and `__dirname` as they would unbundled.
    shims: true,
    banner: {
      js: [
        ...banner,
        'import { createRequire as __orchestraCreateRequire } from "node:module";',
        "const require = __orchestraCreateRequire(import.meta.url);",
      ].join("\n"),
    },
    esbuildOptions(options) {
      // jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow; its `module` is ESM.
      options.mainFields = ["module", "main"];
    },
    esbuildPlugins: [inlinedImportMeta()],
  };
}
