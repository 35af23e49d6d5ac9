import { loadConfig } from "@orchestra/config";
import {
  type EffectiveProfile,
  type FieldOrigin,
  formatProfileIssue,
  loadProfileRegistry,
  type ProfileRegistry,
  type ResolvedProfile,
} from "@orchestra/profiles";
import type { Command } from "commander";
import { EXIT } from "../exit.js";

/** Options shared by the commands that need the profile registry. */
export interface RegistryOptions {
  /** A config file whose `profiles` array is loaded. */
  config?: string;
  /** The project directory whose `.opencode/agent` and `.opencode/skill` profiles are loaded. */
  dir?: string;
}

/**
 * Build the registry: built-ins, the `profiles` array and the profile objects of `workers` of
 * `--config` (loaded and validated once by `@orchestra/config`, as the plugin does: JSONC, the
 * schema, errors naming the file and JSON paths; an invalid config is refused whole), and the
 * markdown profiles of `--dir` (default: the current directory). Profile errors found while resolving name the config file and the entry's path.
 */
export async function registryFor(options: RegistryOptions): Promise<ProfileRegistry> {
  const loaded = options.config === undefined ? undefined : await loadConfig({ file: options.config });
  return loadProfileRegistry({
    projectDir: options.dir ?? process.cwd(),
    ...(loaded === undefined
      ? {}
      : {
          config: { profiles: loaded.config.profiles, origins: loaded.origins.profiles },
          workers: { entries: loaded.config.workers, origins: loaded.origins.workers },
        }),
  });
}

const origin = (o: FieldOrigin | undefined): string =>
  o === undefined ? "" : `${o.from.join(" + ")}${o.rule === "own" ? "" : `, ${o.rule}`}`;

function row(label: string, value: string, from?: FieldOrigin): string {
  const text = `  ${label.padEnd(22)} ${value}`;
  return from ? `${text.padEnd(64)}  ← ${origin(from)}` : text;
}

const list = (items: readonly string[]) => (items.length ? items.join(", ") : "(none)");

/** Human-readable view of a resolved profile with the provenance of every line. */
function formatResolved({ profile: p, provenance, source }: ResolvedProfile): string {
  const f = provenance.fields;
  const src =
    source.kind === "builtin"
      ? "built-in"
      : source.kind === "file"
        ? source.file
        : `${source.file ?? "config"} profiles[${source.index}]`;
  const lines = [`${p.id}: ${p.name} (${src})`];
  lines.push(`  ${"chain".padEnd(22)} ${provenance.ancestors.join(" → ")}`);
  lines.push(row("kind", p.kind, f.kind));
  lines.push(row("model", p.model, f.model));
  if (p.fallbackModels.length) lines.push(row("fallbackModels", list(p.fallbackModels), f.fallbackModels));
  if (p.temperature !== undefined) lines.push(row("temperature", String(p.temperature), f.temperature));
  lines.push(row("purpose", p.purpose || "(none)", f.purpose));
  lines.push(row("tags", list(p.tags), f.tags));
  if (p.supportsVision) lines.push(row("supportsVision", "true", f.supportsVision));
  if (p.supportsWeb) lines.push(row("supportsWeb", "true", f.supportsWeb));
  lines.push("permissions");
  for (const [cat, level] of Object.entries(p.permissions.categories))
    lines.push(row(cat, level, f[`permissions.categories.${cat}`]));
  for (const [tool, t] of Object.entries(p.permissions.tools)) {
    lines.push(
      row(`tools.${tool}`, t.enabled ? "enabled" : "disabled", f[`permissions.tools.${tool}.enabled`]),
    );
    if (t.constraints.allowedCommands !== undefined)
      lines.push(
        row(
          "  allowedCommands",
          list(t.constraints.allowedCommands),
          f[`permissions.tools.${tool}.allowedCommands`],
        ),
      );
    if (t.constraints.deniedFlags.length)
      lines.push(
        row("  deniedFlags", list(t.constraints.deniedFlags), f[`permissions.tools.${tool}.deniedFlags`]),
      );
  }
  const allowed = p.permissions.paths.allowed;
  lines.push(
    row(
      "paths.allowed",
      allowed.length ? allowed.map((l) => `[${l.join(", ")}]`).join(" and ") : "(project root and below)",
      f["permissions.paths.allowed"],
    ),
  );
  lines.push(row("paths.denied", list(p.permissions.paths.denied), f["permissions.paths.denied"]));
  lines.push("widenings");
  if (provenance.widenings.length === 0) lines.push("  (none)");
  for (const w of provenance.widenings) lines.push(`  ${w.path}: ${w.from} → ${w.to} (by ${w.by})`);
  lines.push(`system prompt  ← ${origin(f.systemPrompt)}`);
  lines.push(p.systemPrompt ? p.systemPrompt.replace(/^/gm, "  ") : "  (empty)");
  return `${lines.join("\n")}\n`;
}

function summary(p: EffectiveProfile): string {
  return `${p.id.padEnd(14)} ${p.kind.padEnd(8)} ${p.model.padEnd(16)} ${p.purpose}`;
}

/** `orchestra profiles list|show`. */
export function registerProfilesCommand(program: Command): void {
  const profiles = program
    .command("profiles")
    .description("List worker profiles and show a resolved profile.");
  const withSources = (cmd: Command) =>
    cmd
      .option("--config <file>", "also load the `profiles` array of this config file (JSON)")
      .option(
        "--dir <dir>",
        "project directory to load .opencode/agent and .opencode/skill profiles from",
        process.cwd(),
      );

  withSources(
    profiles
      .command("show")
      .argument("<id>", "profile id")
      .option("--json", "print { profile, provenance, source } as JSON")
      .description(
        "Show the effective profile after extends/compose, with the ancestor each field came from.",
      ),
  ).action(async (id: string, opts: RegistryOptions & { json?: boolean }) => {
    const resolved = (await registryFor(opts)).resolveProfile(id);
    process.stdout.write(opts.json ? `${JSON.stringify(resolved, null, 2)}\n` : formatResolved(resolved));
  });

  withSources(
    profiles
      .command("list")
      .option("--all", "include built-ins that the config does not enable")
      .option("--json", "print a JSON array of { id, ok, profile? | error? }")
      .description("List the enabled profiles. Exits 1 when a profile or entry is invalid."),
  ).action(async (opts: RegistryOptions & { json?: boolean; all?: boolean }) => {
    const registry = await registryFor(opts);
    const entries = registry.list({ includeDisabled: opts.all === true });
    const failed = entries.some((e) => !e.ok) || registry.issues.length > 0;
    if (opts.json) {
      const out = entries.map((e) =>
        e.ok
          ? { id: e.id, ok: true, profile: e.resolved.profile }
          : { id: e.id, ok: false, error: { code: e.error.code, issues: e.error.issues } },
      );
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      for (const e of entries)
        process.stdout.write(
          e.ok
            ? `${summary(e.resolved.profile)}\n`
            : `${e.id.padEnd(14)} INVALID  ${e.error.code} (fails closed)\n`,
        );
    }
    for (const e of entries) if (!e.ok) process.stderr.write(`orchestra: ${e.error.describe()}\n`);
    for (const issue of registry.issues) process.stderr.write(`orchestra: ${formatProfileIssue(issue)}\n`);
    if (failed) process.exitCode = EXIT.failure;
  });
}
