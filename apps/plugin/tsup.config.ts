import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";

// Split chunks: worker mode (every process worker) loads index.js and its own hooks only; the
// orchestrator and the degraded mode are chunks index.js imports in orchestrator mode.
export default defineConfig({ ...baseTsup, entry: ["src/index.ts"], splitting: true });
