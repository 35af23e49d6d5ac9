import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";
import { inlineDependencies } from "../../tsup.inline.ts";

export default defineConfig({
  ...baseTsup,
  entry: ["src/main.ts"],
  dts: false,
  // The commands' actions are imported when they run (`await import("./<name>-action.js")`): each
  // becomes a chunk, so `orchestra --version` and `--help` load only commander and the command list.
  splitting: true,
  // Dependencies inlined into those chunks (`workers spawn` started its worker ~0.1 s later when
  // Node loaded them module by module). Not inlined: the plugin (workers load it; the CLI only
  // resolves its path) and the memory store (native database drivers, resolved beside it).
  ...inlineDependencies(["@orchestra/plugin", "@orchestra/memory"], ["#!/usr/bin/env node"]),
});
