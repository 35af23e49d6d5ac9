import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";

export default defineConfig({
  ...baseTsup,
  entry: ["src/index.ts"],
  // The generated JSON Schema ships in the package, where the docs' `$schema` points
  // (`node_modules/@orchestra/config/dist/orchestrator.schema.json`).
  onSuccess: () => copyFile("../../schema/orchestrator.schema.json", "dist/orchestrator.schema.json"),
});
