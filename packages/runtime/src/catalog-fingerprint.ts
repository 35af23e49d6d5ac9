import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { OpencodeProviderList } from "@orchestra/resolver";

/** Environment variables that change what OpenCode's `GET /provider` answers, besides API keys. */
const OPENCODE_ENV = [
  "OPENCODE_CONFIG",
  "OPENCODE_CONFIG_CONTENT",
  "OPENCODE_CONFIG_DIR",
  "OPENCODE_DISABLE_PROJECT_CONFIG",
  "OPENCODE_MODELS_URL",
  "OPENCODE_MODELS_PATH",
  "OPENCODE_PERMISSION",
];

const CONFIG_FILES = ["opencode.json", "opencode.jsonc", "config.json"];

/** Where a run of OpenCode reads the inputs of its catalog. */
export interface CatalogInputs {
  /** The `opencode` binary (its embedded catalog snapshot). */
  binary: string;
  /** The project directory. */
  directory: string;
  /** The environment the catalog server runs with. */
  env: NodeJS.ProcessEnv;
  /**
   * Names of the environment variables the catalog's providers read their keys from (each
   * provider's `env`): a key set or unset connects or disconnects a provider.
   */
  envNames: readonly string[];
}

/**
 * Every file whose content changes OpenCode's catalog: the global config dir's config files,
 * `$OPENCODE_CONFIG`, `opencode.json(c)` and `.opencode/opencode.json(c)` from the project up to
 * `/`, `$OPENCODE_CONFIG_DIR`'s, `auth.json` (connected providers) and the models.dev cache.
 */
function catalogFiles(env: NodeJS.ProcessEnv, directory: string): string[] {
  const home = env.HOME ?? homedir();
  const config = join(env.XDG_CONFIG_HOME ?? join(home, ".config"), "opencode");
  const data = join(env.XDG_DATA_HOME ?? join(home, ".local", "share"), "opencode");
  const cache = join(env.XDG_CACHE_HOME ?? join(home, ".cache"), "opencode");
  const files = [
    ...CONFIG_FILES.map((f) => join(config, f)),
    join(data, "auth.json"),
    join(cache, "models.json"),
    ...CONFIG_FILES.map((f) => join(home, ".opencode", f)),
  ];
  if (env.OPENCODE_CONFIG) files.push(resolve(env.OPENCODE_CONFIG));
  if (env.OPENCODE_CONFIG_DIR)
    files.push(...CONFIG_FILES.map((f) => join(resolve(env.OPENCODE_CONFIG_DIR ?? ""), f)));
  for (let dir = resolve(directory); ; dir = dirname(dir)) {
    for (const f of CONFIG_FILES) files.push(join(dir, f), join(dir, ".opencode", f));
    if (dirname(dir) === dir) break;
  }
  return [...new Set(files)];
}

/** OpenCode writes `"$schema"` into a config file that lacks it: not a change of the catalog. */
const SCHEMA_PROPERTY = /"\$schema"\s*:\s*"[^"]*"\s*,?/g;

function fileDigest(path: string): string {
  try {
    const text = readFileSync(path, "utf8");
    const relevant =
      path.endsWith(".json") || path.endsWith(".jsonc") ? text.replace(SCHEMA_PROPERTY, "") : text;
    return createHash("sha256").update(relevant.replace(/\s+/g, "")).digest("hex");
  } catch {
    return "-";
  }
}

/**
 * A digest of everything OpenCode's catalog depends on (see {@link catalogFiles}, the binary's
 * path, size and mtime, the OpenCode environment variables and the providers' key variables).
 * Equal digests mean `GET /provider` would answer the same; any edit of a config file, a login
 * (`auth.json`), an API key set or unset, or another binary changes it. Secrets are hashed, never
 * stored.
 */
export function catalogFingerprint(inputs: CatalogInputs): string {
  const hash = createHash("sha256");
  const line = (key: string, value: string) => hash.update(`${key}\0${value}\n`);
  const bin = (() => {
    try {
      const s = statSync(inputs.binary);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return "-";
    }
  })();
  line("binary", `${resolve(inputs.binary)}:${bin}`);
  for (const file of catalogFiles(inputs.env, inputs.directory)) line(file, fileDigest(file));
  for (const name of [...new Set([...OPENCODE_ENV, ...inputs.envNames])].sort())
    line(`env:${name}`, inputs.env[name] === undefined ? "-" : `=${inputs.env[name]}`);
  return hash.digest("hex");
}

/** The names of the environment variables the catalog's providers read keys from. */
export function providerEnvNames(catalog: OpencodeProviderList): string[] {
  const names = new Set<string>();
  for (const provider of [...(catalog.all ?? []), ...(catalog.providers ?? [])])
    for (const name of provider.env ?? []) names.add(name);
  return [...names].sort();
}
