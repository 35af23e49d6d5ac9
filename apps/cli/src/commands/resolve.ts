import { ConfigError, loadConfig, type OrchestratorConfig } from "@orchestra/config";
import {
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
import type { Command } from "commander";
import { existing, serverUrl } from "../arg-parsers.js";
import { EXIT } from "../exit.js";
import { CONFIG_OPTION, PROJECT_OPTION } from "../project-profiles.js";
import { UsageError } from "../usage-error.js";

interface ResolveFlags {
  catalog?: string;
  server?: string;
  config?: string;
  project?: string;
  connected?: string;
  json?: boolean;
}

/** The resolution as the plugin's resolve_model shows it, then the config's model issues. */
function human(res: Resolution, issues: readonly ModelConfigIssue[]): string {
  const lines = [describeResolution(res)];
  for (const i of issues) lines.push(`config ${i.severity} at ${i.path}: ${i.message}`);
  return `${lines.join("\n")}\n`;
}

/**
 * `orchestra resolve <ref> [fallbacks...] [--catalog FILE | --server URL] [--config FILE] [--connected IDS] [--json]`.
 * Exit 0 on success, 1 on a resolution error, 2 on bad usage.
 */
export function registerResolveCommand(program: Command): void {
  program
    .command("resolve")
    .description(
      "Resolve a model reference (auto, auto:<tag>, node:<tag>, an alias or provider/model) against a catalog and explain the choice.",
    )
    .argument("<ref>", "the model reference to resolve")
    .argument("[fallbacks...]", "references tried in order when <ref> cannot be used")
    .option("--catalog <file>", "a saved OpenCode GET /provider answer (.json or .json.gz)", existing("file"))
    .option(
      "--server <url>",
      "a running opencode server to fetch GET /provider from (http://host:port; host:port means http)",
      serverUrl,
    )
    .option(...CONFIG_OPTION)
    .option(...PROJECT_OPTION)
    .option("--connected <ids>", "comma-separated connected provider ids (overrides the catalog's own list)")
    .option("--json", "print exactly one JSON object with ok: true|false")
    .addHelpText(
      "after",
      "\nExamples:\n  orchestra resolve auto:vision --server http://127.0.0.1:4096\n  orchestra resolve sonnet auto --catalog provider.json.gz --config .opencode/orchestrator.json --json",
    )
    .action(async (ref: string, fallbacks: string[], flags: ResolveFlags) => {
      const json = flags.json === true;
      const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      try {
        if ((flags.catalog === undefined) === (flags.server === undefined)) {
          throw new UsageError("give exactly one of --catalog FILE or --server URL");
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
        const resolver = createResolver(index, {
          modelAliases: config.modelAliases,
          modelSelection: config.modelSelection,
        });
        const res = resolver.resolve([ref, ...fallbacks]);
        if (json) out({ ok: true, ...res, ...(issues.length > 0 ? { configIssues: issues } : {}) });
        else process.stdout.write(human(res, issues));
        process.exitCode = EXIT.ok;
      } catch (error) {
        if (UsageError.isInstance(error)) {
          if (json)
            out({
              ok: false,
              code: error.code,
              message: error.message,
              suggestions: [],
              hints: [],
              attempts: [],
            });
          else process.stderr.write(`orchestra resolve: ${error.message}\n(run with --help for usage)\n`);
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
