import type { AliasRow } from "@orchestra/resolver";

/** The source column of a row. */
function source(row: AliasRow): string {
  if (row.source === "user") return row.overridesDefault ? "user, overrides the default" : "user";
  return row.active ? "default" : "default, overridden by your alias";
}

/** What a row resolves to now, in one cell. */
function now(row: AliasRow): string {
  if (row.resolved === null) return "-";
  return row.resolved.ok ? row.resolved.model : `[${row.resolved.code}] ${row.resolved.message}`;
}

/**
 * The effective alias table for humans: name, source (which wins), what it resolves to now, and
 * what it points at (a user alias's target, or what a default alias stands for).
 */
export function formatAliasTable(rows: readonly AliasRow[]): string {
  const cells = rows.map((r) => [r.name, source(r), now(r), r.target] as const);
  const w0 = Math.max(4, ...cells.map((c) => c[0].length));
  const w1 = Math.max(6, ...cells.map((c) => c[1].length));
  const w2 = Math.max(15, ...cells.map((c) => (c[2].startsWith("[") ? 0 : c[2].length)));
  const lines = [`${"name".padEnd(w0)}  ${"source".padEnd(w1)}  ${"resolves to now".padEnd(w2)}  target`];
  for (const [name, src, to, target] of cells) {
    lines.push(
      `${name.padEnd(w0)}  ${src.padEnd(w1)}  ${to.startsWith("[") ? to : `${to.padEnd(w2)}  ${target}`}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
