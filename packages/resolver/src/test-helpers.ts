// Helpers for this package's tests only (not exported, not bundled).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Catalog } from "./catalog.js";
import { parseCatalogBytes } from "./catalog-io.js";
import type { OpencodeModel } from "./opencode-catalog.js";
import { catalogFromOpencode } from "./opencode-catalog.js";

/** The real `GET /provider` snapshot saved from opencode 1.18.33. */
export const SNAPSHOT_PATH = fileURLToPath(
  new URL("../fixtures/opencode-1.18.33-provider.json.gz", import.meta.url),
);

let snapshotBytes: Uint8Array | undefined;
/** The real snapshot as a catalog, with the given connected providers. */
export function snapshotCatalog(connected?: readonly string[]): Catalog {
  snapshotBytes ??= readFileSync(SNAPSHOT_PATH);
  return parseCatalogBytes(snapshotBytes, connected === undefined ? {} : { connected });
}

/** Options of {@link chat}. */
export interface ModelSpec {
  vision?: boolean;
  attachment?: boolean;
  tools?: boolean;
  reasoning?: boolean;
  pdf?: boolean;
  out?: Partial<Record<"text" | "image" | "audio" | "video", boolean>>;
  in?: Partial<Record<"text" | "image" | "audio" | "video" | "pdf", boolean>>;
  /** [input, output] USD per 1M, or `null` to omit cost. */
  cost?: [number, number] | null;
  context?: number;
  output?: number;
  status?: string;
  date?: string;
  name?: string;
}

/** A raw OpenCode model. Defaults: a text chat model with tools, 128k context, $1/$2 per 1M, 2025-01-01. */
export function model(id: string, spec: ModelSpec = {}): OpencodeModel {
  const cost = spec.cost === undefined ? [1, 2] : spec.cost;
  return {
    id,
    name: spec.name ?? id,
    capabilities: {
      attachment: spec.attachment ?? false,
      reasoning: spec.reasoning ?? false,
      toolcall: spec.tools ?? true,
      input: {
        text: true,
        image: spec.vision ?? false,
        audio: false,
        video: false,
        pdf: spec.pdf ?? false,
        ...spec.in,
      },
      output: { text: true, image: false, audio: false, video: false, pdf: false, ...spec.out },
    },
    ...(cost === null ? {} : { cost: { input: cost[0], output: cost[1], cache: { read: 0, write: 0 } } }),
    limit: { context: spec.context ?? 128_000, output: spec.output ?? 8192 },
    status: spec.status ?? "active",
    release_date: spec.date ?? "2025-01-01",
  };
}

/** Raw `GET /provider` JSON from `{ providerId: { modelId: OpencodeModel } }`. */
export function rawCatalog(
  providers: Record<string, Record<string, OpencodeModel>>,
  extra: { default?: Record<string, string>; connected?: string[]; env?: Record<string, string[]> } = {},
): { all: unknown[]; default: Record<string, string>; connected: string[] } {
  return {
    all: Object.entries(providers).map(([id, models]) => ({
      id,
      name: id,
      env: extra.env?.[id] ?? [`${id.toUpperCase()}_API_KEY`],
      models,
    })),
    default: extra.default ?? {},
    connected: extra.connected ?? Object.keys(providers),
  };
}

/** {@link rawCatalog} adapted to a catalog. */
export function catalog(
  providers: Record<string, Record<string, OpencodeModel>>,
  extra: { default?: Record<string, string>; connected?: string[]; env?: Record<string, string[]> } = {},
): Catalog {
  return catalogFromOpencode(rawCatalog(providers, extra));
}

/** A seeded PRNG (mulberry32), so shuffles are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deep copy of JSON with every object's keys and every array shuffled (arrays of providers included). */
export function shuffleDeep(value: unknown, random: () => number): unknown {
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
    }
    return xs;
  };
  if (Array.isArray(value)) return shuffle(value.map((v) => shuffleDeep(v, random)));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of shuffle(Object.keys(value)))
      out[k] = shuffleDeep((value as Record<string, unknown>)[k], random);
    return out;
  }
  return value;
}
