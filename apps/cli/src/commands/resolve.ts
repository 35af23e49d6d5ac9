import { ConfigError, loadConfig, type OrchestratorConfig } from "@orchestra/config";
import { didYouMean } from "@orchestra/core";
import {
  aliasTable,
  buildCatalogIndex,
  type Catalog,
  createResolver,
  DEFAULT_ALIASES,
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
import type { Command } from "commander";
import { existing, serverUrl } from "../arg-parsers.js";
import { serverAccess, serverGet } from "../doctor/server-access.js";
import { EXIT } from "../exit.js";
import { CONFIG_OPTION, PROJECT_OPTION } from "../project-profiles.js";
import { UsageError } from "../usage-error.js";
import { formatAliasTable } from "./resolve-aliases.js";
import { explainResolution, formatExplanation } from "./resolve-explain.js";

interface ResolveFlags {
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

/**
 * `orchestra resolve <ref> [fallbacks...] [--catalog FILE | --server URL] [--config FILE] [--connected IDS]
 * [--default-model REF] [--allow-deprecated] [--allow-free] [--allow-preview] [--explain] [--json]`, or
 * `orchestra resolve --list-aliases …`. Exit 0 on success, 1 on a resolution error, 2 on bad usage.
 */
export function registerResolveCommand(program: Command): void {
  program
    .command("resolve")
    .description(
      `Resolve a model reference (auto, auto:<tag>, node:<tag>, an alias, a default alias such as ${DEFAULT_ALIASES.slice(0, 3).join(", ")}, or provider/model) against a catalog and explain the choice.`,
    )
    .argument("[ref]", "the model reference to resolve (not with --list-aliases)")
    .argument("[fallbacks...]", "references tried in order when <ref> cannot be used")
    .option("--catalog <file>", "a saved OpenCode GET /provider answer (.json or .json.gz)", existing("file"))
    .option(
      "--server <url>",
      "a running opencode server to fetch GET /provider (and the default model, GET /config) from (http://host:port; host:port means http)",
      serverUrl,
    )
    .option(...CONFIG_OPTION)
    .option(...PROJECT_OPTION)
    .option("--connected <ids>", "comma-separated connected provider ids (overrides the catalog's own list)")
    .option(
      "--default-model <ref>",
      "the user's default model, which `auto` means (default with --server: the server's config `model`)",
    )
    .option("--allow-deprecated", "accept a deprecated model named explicitly")
    .option("--allow-free", "let auto tags pick free (:free, -free) variants")
    .option("--allow-preview", "let auto tags pick preview (alpha, beta, stealth) models")
    .option(
      "--list-aliases",
      "print the effective alias table (your modelAliases and the defaults) and what each resolves to now",
    )
    .option("--explain", "print the top five candidates with their scores and the deciding signal")
    .option("--json", "print exactly one JSON object with ok: true|false")
    .addHelpText(
      "after",
      `\nDefault aliases: ${DEFAULT_ALIASES.join(", ")} (the newest model of the family among connected providers; your modelAliases override them).\n\nExamples:\n  orchestra resolve auto:vision --server http://127.0.0.1:4096\n  orchestra resolve sonnet auto --catalog provider.json.gz --config .opencode/orchestrator.json --json\n  orchestra resolve auto:code --server http://127.0.0.1:4096 --explain\n  orchestra resolve --list-aliases --server http://127.0.0.1:4096`,
    )
    .action(async (ref: string | undefined, fallbacks: string[], flags: ResolveFlags) => {
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
            flags.config === undefined
              ? { projectDir: flags.project ?? process.cwd() }
              : { file: flags.config },
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
        else
          process.stdout.write(
            human(res, issues) + (explain === undefined ? "" : formatExplanation(explain)),
          );
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
    });
}
