// The small world the resolver's tests share (not exported, not bundled).
import { buildCatalogIndex } from "./catalog-index.js";
import { catalogFromOpencode } from "./opencode-catalog.js";
import type { Resolver, ResolverConfig } from "./resolution.js";
import { createResolver } from "./resolver.js";
import { ResolverError } from "./resolver-error.js";
import { model, rawCatalog } from "./test-helpers.js";

/** The error `fn` throws; fails the test when it throws something else or nothing. */
export function fail(fn: () => unknown): ResolverError {
  try {
    fn();
  } catch (e) {
    if (ResolverError.isResolverError(e)) return e;
    throw e;
  }
  throw new Error("expected a ResolverError");
}

/** A small world: two connected providers, one not connected, and traps for auto tags. */
export const world = rawCatalog(
  {
    anthropic: {
      "claude-sonnet-4-5": model("claude-sonnet-4-5", {
        vision: true,
        reasoning: true,
        cost: [3, 15],
        context: 200_000,
      }),
      "claude-haiku-4-5": model("claude-haiku-4-5", { vision: true, cost: [1, 5], context: 200_000 }),
      "claude-2": model("claude-2", { cost: [8, 24], status: "deprecated", date: "2023-07-01" }),
    },
    openai: {
      "gpt-4o": model("gpt-4o", { vision: true, cost: [2.5, 10], context: 128_000 }),
      "gpt-4o-mini": model("gpt-4o-mini", { vision: true, cost: [0.15, 0.6], context: 128_000 }),
      "dall-e-3": model("dall-e-3", {
        in: { text: true },
        out: { text: false, image: true },
        tools: false,
        cost: [0, 0],
      }),
      "gpt-image-1": model("gpt-image-1", {
        vision: true,
        out: { text: true, image: true },
        cost: [0.01, 0.01],
      }),
      "text-embedding-3-small": model("text-embedding-3-small", { tools: false, cost: [0.02, 0] }),
      "o3-deep": model("o3-deep", {
        reasoning: true,
        cost: [10, 40],
        context: 200_000,
        status: "deprecated",
      }),
    },
    local: {
      "llava:13b": model("llava:13b", { attachment: true, cost: null, context: 0 }),
      "qwen/qwen3-coder@q4": model("qwen/qwen3-coder@q4", { cost: null, context: 262_144 }),
    },
    vertex: {
      "claude-sonnet-4-5@default": model("claude-sonnet-4-5@default", { vision: true, cost: [3, 15] }),
    },
  },
  {
    connected: ["anthropic", "openai", "local"],
    default: { anthropic: "claude-sonnet-4-5", openai: "gpt-4o" },
  },
);
const worldCatalog = catalogFromOpencode(world);
const worldIndex = buildCatalogIndex(worldCatalog);
/** A resolver over the world. */
export const r = (config: ResolverConfig = {}): Resolver => createResolver(worldIndex, config);
