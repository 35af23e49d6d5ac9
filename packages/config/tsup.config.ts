import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";

export default defineConfig({
  ...baseTsup,
  entry: ["src/index.ts"],
  // The generated JSON Schema ships at the package root as `schema.json`, so the `$schema` path the
  // docs give (`node_modules/@orchestra/config/schema.json`) and the export
  // (`@orchestra/config/schema.json`) name the same file.
  onSuccess: () => copyFile("../../schema/orchestrator.schema.json", "schema.json"),
});
