import type { Options } from "tsup";

/**
 * The one tsup configuration every package spreads: ESM only, Node 20, typed.
 * A package adds its own `entry` (and nothing else unless it must).
 */
export const baseTsup = {
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
} satisfies Options;
