import { DEFAULT_ALIASES } from "@orchestra/resolver";
import type { Command } from "commander";
import { existing, serverUrl } from "../arg-parsers.js";
import { CONFIG_OPTION, PROJECT_OPTION } from "../project-options.js";
import type { ResolveFlags } from "./resolve-action.js";

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
      const { runResolve } = await import("./resolve-action.js");
      await runResolve(ref, fallbacks, flags);
    });
}
