import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { OpencodeProviderConfig } from "../scripted-model/fake-model.js";

/** An OpenCode config object (`opencode.json` shape), passed inline through `OPENCODE_CONFIG_CONTENT`. */
export type OpencodeConfig = Record<string, unknown>;

/** What {@link buildOpencodeConfig} wires in. */
export interface BuildConfigInput {
  /** The `provider` entries to add (for example a scripted model's `providerConfig()`). */
  provider?: Record<string, OpencodeProviderConfig>;
  /** `model`, as `provider/model`. */
  model?: string;
  /** `small_model` (title generation), as `provider/model`. Defaults to `model`. */
  smallModel?: string;
  /** Plugin files or specs, see {@link pluginSpec}. */
  plugins?: readonly string[];
  /** The caller's config, merged over the defaults (objects deep-merged, other values replaced). */
  config?: OpencodeConfig;
}

/**
 * The defaults the harness always applies unless the caller overrides them: no auto-update, no
 * sharing, no git snapshots (makes a prompt round trip about 3x faster).
 */
export const OPENCODE_TEST_DEFAULTS: Readonly<OpencodeConfig> = Object.freeze({
  autoupdate: false,
  share: "disabled",
  snapshot: false,
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deep-merge `override` into `base`: plain objects merge key by key, everything else is replaced. */
export function deepMerge(base: OpencodeConfig, override: OpencodeConfig): OpencodeConfig {
  const out: OpencodeConfig = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/**
 * A plugin entry for OpenCode's `plugin` array: `file://` URLs and npm specs are kept; absolute
 * or relative paths (`/x.js`, `./x.js`, `../x.js`) become `file://` URLs (relative to `cwd`).
 */
export function pluginSpec(entry: string, cwd: string = process.cwd()): string {
  if (entry.startsWith("file://")) return entry;
  if (isAbsolute(entry) || entry.startsWith("./") || entry.startsWith("../")) {
    return pathToFileURL(resolve(cwd, entry)).href;
  }
  return entry;
}

/**
 * The inline config for an isolated test server: {@link OPENCODE_TEST_DEFAULTS}, then the
 * scripted provider, `model` and `small_model`, then the caller's config. The `plugin` array is
 * the harness plugins followed by the caller's, without duplicates.
 */
export function buildOpencodeConfig(input: BuildConfigInput): OpencodeConfig {
  let config: OpencodeConfig = { ...OPENCODE_TEST_DEFAULTS };
  if (input.provider) config.provider = { ...input.provider };
  if (input.model) {
    config.model = input.model;
    config.small_model = input.smallModel ?? input.model;
  }
  const callerConfig = input.config ?? {};
  config = deepMerge(config, callerConfig);
  const callerPlugins = Array.isArray(callerConfig.plugin) ? (callerConfig.plugin as unknown[]) : [];
  const plugins = [...(input.plugins ?? []).map((p) => pluginSpec(p)), ...callerPlugins];
  if (plugins.length > 0) config.plugin = [...new Set(plugins)];
  return config;
}
