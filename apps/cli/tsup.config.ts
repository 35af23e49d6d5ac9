import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";

export default defineConfig({
  ...baseTsup,
  entry: ["src/main.ts"],
  dts: false,
  // The commands' actions are imported when they run (`await import("./<name>-action.js")`): each
  // becomes a chunk, so `orchestra --version` and `--help` load only commander and the command list.
  splitting: true,
  banner: { js: "#!/usr/bin/env node" },
});
