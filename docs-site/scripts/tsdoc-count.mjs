// Counts the TSDoc of every package's exports in TypeDoc's JSON output (api/typedoc.json, written by
// `typedoc` beside the markdown): an export is documented when it, or one of its call signatures, has
// a comment with a summary. Prints documented/total per package and exits 1 when any export has none
// (TypeDoc's own `notDocumented` validation, a warning treated as an error, fails first).
import { readFileSync } from "node:fs";
import { join } from "node:path";

const file = join(import.meta.dirname, "..", "api", "typedoc.json");

function hasSummary(comment) {
  return (comment?.summary ?? []).some((part) => part.text.trim() !== "");
}

function documented(reflection) {
  if (hasSummary(reflection.comment)) return true;
  const signatures = [...(reflection.signatures ?? []), ...(reflection.type?.declaration?.signatures ?? [])];
  return signatures.some((s) => hasSummary(s.comment));
}

const project = JSON.parse(readFileSync(file, "utf8"));
const rows = project.children.map((pkg) => {
  const exports = pkg.children ?? [];
  const missing = exports.filter((e) => !documented(e)).map((e) => e.name);
  return { pkg: pkg.name, documented: exports.length - missing.length, total: exports.length, missing };
});
const width = Math.max(...rows.map((r) => r.pkg.length));
console.log(`${"package".padEnd(width)}  documented/total`);
for (const r of rows) console.log(`${r.pkg.padEnd(width)}  ${r.documented}/${r.total}`);
const all = rows.reduce((n, r) => n + r.total, 0);
console.log(
  `${"all".padEnd(width)}  ${rows.reduce((n, r) => n + r.documented, 0)}/${all} in ${rows.length} packages`,
);
const undocumented = rows.filter((r) => r.missing.length > 0);
for (const r of undocumented) console.error(`${r.pkg}: no TSDoc on ${r.missing.join(", ")}`);
process.exit(undocumented.length > 0 ? 1 : 0);
