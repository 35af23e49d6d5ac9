import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";

export default defineConfig({ ...baseTsup, entry: ["src/index.ts", "src/internal.ts", "src/worker.ts"] });
