import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";
import { inlinedImportMeta } from "./tsup.import-meta.ts";

/**
 * Not inlined: the plugin (workers load it; the CLI only resolves its path) and the memory store
 * (its database drivers are native modules, resolved beside it).
 */
const EXTERNAL = ["@orchestra/plugin", "@orchestra/memory"];

export default defineConfig({
  ...baseTsup,
  entry: ["src/main.ts"],
  dts: false,
  // The commands' actions are imported when they run (`await import("./<name>-action.js")`): each
  // becomes a chunk, so `orchestra --version` and `--help` load only commander and the command list.
  splitting: true,
  // The dependencies are inlined into those chunks: Node then loads a few files instead of hundreds
  // of modules (zod, the OpenCode SDK, the workspace packages), which is most of what every command
  // paid before it did anything (`workers spawn` started its worker ~0.1 s later).
  noExternal: [new RegExp(`^(?!(${EXTERNAL.join("|")})(/|$))`)],
  external: EXTERNAL,
  // CommonJS dependencies (picomatch, write-file-atomic, proper-lockfile) get `require`, `__filename`
  // and `__dirname` as they would unbundled.
  shims: true,
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __orchestraCreateRequire } from "node:module";',
      "const require = __orchestraCreateRequire(import.meta.url);",
    ].join("\n"),
  },
  esbuildOptions(options) {
    // jsonc-parser's `main` is a UMD build whose requires esbuild cannot follow; its `module` is ESM.
    options.mainFields = ["module", "main"];
  },
  esbuildPlugins: [inlinedImportMeta()],
});
