import type { Options } from "tsup";

/**
 * The one tsup configuration every package spreads: ESM only, Node 20, typed, no sourcemaps.
 * A package adds its own `entry` (and nothing else unless it must).
 */
export const baseTsup = {
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  // No sourcemaps: they were ~60% of the unpacked size and the output is readable ESM (RELEASING.md).
  sourcemap: false,
  clean: true,
  splitting: false,
  treeshake: true,
} satisfies Options;
