import {
  type EffectiveProfile,
  type FieldOrigin,
  formatProfileIssue,
  ProfileError,
  type ResolvedProfile,
} from "@orchestra/profiles";
import { EXIT } from "../exit.js";
import type { ProjectOptions } from "../project-options.js";
import { loadProjectProfiles, resolveProjectProfile } from "../project-profiles.js";

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

/** `orchestra profiles show <id>`: the resolved profile with the origin of every field, as text or JSON. */
export async function runShow(id: string, opts: ProjectOptions & { json?: boolean }): Promise<void> {
  const resolved = resolveProjectProfile(await loadProjectProfiles(opts), id);
  process.stdout.write(opts.json ? `${JSON.stringify(resolved, null, 2)}\n` : formatResolved(resolved));
}

/** `orchestra profiles list`: the enabled (or, with `--all`, every) profile; exit 1 when one is invalid. */
export async function runList(opts: ProjectOptions & { json?: boolean; all?: boolean }): Promise<void> {
  const { registry } = await loadProjectProfiles(opts);
  const entries = registry.list({ includeDisabled: opts.all === true });
  const invalid = entries.flatMap((e) => (e.ok ? [] : [e.error]));
  const problems = [...invalid.map((e) => e.message), ...registry.issues.map(formatProfileIssue)];
  const failure =
    problems.length === 0
      ? undefined
      : new ProfileError(
          invalid[0]?.code ?? registry.issues[0]?.code ?? "PROFILE_INVALID",
          `${problems.length} ${problems.length === 1 ? "problem" : "problems"} in the profiles; an invalid profile denies every call:\n${problems.join("\n")}`,
          { hints: [...new Set(invalid.flatMap((e) => e.hints))] },
        );
  if (opts.json) {
    const listing = entries.map((e) =>
      e.ok
        ? { id: e.id, ok: true, profile: e.resolved.profile }
        : { id: e.id, ok: false, error: { code: e.error.code, issues: e.error.issues } },
    );
    // Success: the array. Failure: the one failure object every --json command prints, with the
    // listing (failed entries included) under `profiles`; exit 1.
    const answer =
      failure === undefined
        ? listing
        : {
            ok: false,
            code: failure.code,
            message: failure.message,
            hints: [...failure.hints],
            profiles: listing,
          };
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    if (failure !== undefined) process.exitCode = EXIT.failure;
    return;
  }
  for (const e of entries)
    process.stdout.write(
      e.ok
        ? `${summary(e.resolved.profile)}\n`
        : `${e.id.padEnd(14)} INVALID  ${e.error.code} (fails closed)\n`,
    );
  if (failure !== undefined) throw failure;
}
