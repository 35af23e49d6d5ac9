import { ConfigError, loadConfig, type OrchestratorConfig } from "@orchestra/config";
import { didYouMean } from "@orchestra/core";
import {
  aliasTable,
  buildCatalogIndex,
  type Catalog,
  createResolver,
  describeResolution,
  describeResolverError,
  fetchCatalog,
  type ModelConfigIssue,
  type Resolution,
  ResolverError,
  readCatalogFile,
  restrictToUserProviders,
  validateModelConfig,
} from "@orchestra/resolver";
import { serverAccess, serverGet } from "../doctor/server-access.js";
import { EXIT } from "../exit.js";
import { UsageError } from "../usage-error.js";
import { formatAliasTable } from "./resolve-aliases.js";
import { explainResolution, formatExplanation } from "./resolve-explain.js";

/** The options of `orchestra resolve`. */
export interface ResolveFlags {
  catalog?: string;
  server?: string;
  config?: string;
  project?: string;
  connected?: string;
  json?: boolean;
  listAliases?: boolean;
  explain?: boolean;
  defaultModel?: string;
  allowDeprecated?: boolean;
  allowFree?: boolean;
  allowPreview?: boolean;
}

/** Where `auto`'s default model came from. */
interface DefaultModel {
  ref: string;
  from: "--default-model" | "server config";
}

/** `--connected` names providers of the catalog only: a typo is a usage error with did-you-mean. */
function checkConnected(catalog: Catalog, connected: readonly string[]): void {
  const known = catalog.providers.map((p) => p.id);
  const ids = new Set(known);
  for (const id of connected) {
    if (ids.has(id)) continue;
    const close = didYouMean(id, known);
    throw new UsageError(
      `--connected: no provider "${id}" in the catalog${close === undefined ? "" : `; did you mean "${close}"?`}`,
      {
        hints: [
          `--connected takes provider ids of the catalog, comma-separated (${known.length} in this catalog, e.g. ${known.slice(0, 3).join(", ")}).`,
        ],
      },
    );
  }
}

/** The user's default model: `--default-model`, else the server's OpenCode config `model` (GET /config). */
async function defaultModelOf(flags: ResolveFlags): Promise<DefaultModel | undefined> {
  if (flags.defaultModel !== undefined) return { ref: flags.defaultModel, from: "--default-model" };
  if (flags.server === undefined) return undefined;
  const answer = await serverGet(serverAccess(flags.server, process.env), "/config");
  const model =
    answer.ok && answer.status === 200 ? (answer.body as { model?: unknown } | null)?.model : undefined;
  return typeof model === "string" && model !== "" ? { ref: model, from: "server config" } : undefined;
}

/** The resolution as the plugin's resolve_model shows it, then the config's model issues. */
function human(res: Resolution, issues: readonly ModelConfigIssue[]): string {
  const lines = [describeResolution(res)];
  for (const i of issues) lines.push(`config ${i.severity} at ${i.path}: ${i.message}`);
  return `${lines.join("\n")}\n`;
}

/** `orchestra resolve`: resolve a reference (or list the aliases) and print the answer, as text or one JSON object. */
export async function runResolve(
  ref: string | undefined,
  fallbacks: string[],
  flags: ResolveFlags,
): Promise<void> {
  const json = flags.json === true;
  const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    if ((flags.catalog === undefined) === (flags.server === undefined)) {
      throw new UsageError("give exactly one of --catalog FILE or --server URL");
    }
    if (flags.listAliases === true && ref !== undefined) {
      throw new UsageError(`--list-aliases takes no model reference (got "${ref}")`);
    }
    if (flags.listAliases !== true && ref === undefined) {
      throw new UsageError("give a model reference to resolve, or --list-aliases");
    }
    const connected =
      flags.connected === undefined
        ? undefined
        : flags.connected
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    // The merged config every command reads (global + project files), or only --config; JSONC,
    // validated, errors naming JSON paths (exit 1).
    const config: OrchestratorConfig = (
      await loadConfig(
        flags.config === undefined ? { projectDir: flags.project ?? process.cwd() } : { file: flags.config },
      )
    ).config;
    const options = connected === undefined ? {} : { connected };
    let catalog: Catalog;
    if (flags.catalog !== undefined) {
      catalog = await readCatalogFile(flags.catalog, options);
    } else {
      const password = process.env.OPENCODE_SERVER_PASSWORD;
      catalog = await fetchCatalog(flags.server as string, {
        ...options,
        ...(password === undefined ? {} : { password }),
        ...(process.env.OPENCODE_SERVER_USERNAME === undefined
          ? {}
          : { username: process.env.OPENCODE_SERVER_USERNAME }),
      });
    }
    if (connected !== undefined) checkConnected(catalog, connected);
    // Like the runtime: OpenCode's built-in free provider only when the user chose it (unless
    // --connected says exactly which providers count).
    const userCatalog =
      connected === undefined
        ? restrictToUserProviders(catalog, {
            preferredProviders: config.modelSelection.preferredProviders,
          })
        : catalog;
    const index = buildCatalogIndex(userCatalog, { capabilityOverrides: config.capabilityOverrides });
    const issues = validateModelConfig(
      {
        modelAliases: config.modelAliases,
        modelSelection: config.modelSelection,
        profiles: config.profiles,
        workers: config.workers,
        capabilityOverrides: config.capabilityOverrides,
      },
      index,
    );
    const defaultModel = await defaultModelOf(flags);
    const resolver = createResolver(index, {
      modelAliases: config.modelAliases,
      modelSelection: config.modelSelection,
      ...(defaultModel === undefined ? {} : { defaultModel: defaultModel.ref }),
      ...(flags.allowDeprecated === true ? { allowDeprecated: true } : {}),
      ...(flags.allowFree === true ? { allowFree: true } : {}),
      ...(flags.allowPreview === true ? { allowPreview: true } : {}),
    });
    const extra = {
      ...(defaultModel === undefined ? {} : { defaultModel }),
      ...(issues.length > 0 ? { configIssues: issues } : {}),
    };
    if (flags.listAliases === true) {
      const aliases = aliasTable(resolver, config.modelAliases);
      if (json) out({ ok: true, aliases, ...extra });
      else process.stdout.write(formatAliasTable(aliases));
      process.exitCode = EXIT.ok;
      return;
    }
    const res = resolver.resolve([ref as string, ...fallbacks]);
    const explain =
      flags.explain === true ? explainResolution(resolver, res, config.modelSelection.mode) : undefined;
    if (json) out({ ok: true, ...res, ...extra, ...(explain === undefined ? {} : { explain }) });
    else process.stdout.write(human(res, issues) + (explain === undefined ? "" : formatExplanation(explain)));
    process.exitCode = EXIT.ok;
  } catch (error) {
    if (UsageError.isInstance(error)) {
      if (json)
        out({
          ok: false,
          code: error.code,
          message: error.message,
          suggestions: [],
          hints: error.hints,
          attempts: [],
        });
      else
        process.stderr.write(
          `orchestra resolve: ${error.message}\n${error.hints.map((h) => `  hint: ${h}\n`).join("")}(run with --help for usage)\n`,
        );
      process.exitCode = EXIT.usage;
      return;
    }
    if (ConfigError.isInstance(error)) {
      if (json)
        out({
          ok: false,
          code: error.code,
          message: error.message,
          suggestions: [],
          hints: error.hints,
          attempts: [],
          issues: error.issues,
        });
      else process.stderr.write(`orchestra resolve: --config: ${error.describe()}\n`);
      process.exitCode = EXIT.failure;
      return;
    }
    if (!ResolverError.isResolverError(error)) throw error;
    if (json) out({ ok: false, ...error.toJSON() });
    else process.stderr.write(`orchestra resolve: ${describeResolverError(error)}\n`);
    process.exitCode = EXIT.failure;
  }
}
