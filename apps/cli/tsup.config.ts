import { defineConfig } from "tsup";
import { baseTsup } from "../../tsup.base.ts";

export default defineConfig({
  ...baseTsup,
  entry: ["src/main.ts"],
  dts: false,
  banner: { js: "#!/usr/bin/env node" },
});
