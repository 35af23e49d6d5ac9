// `prepack` of every published package: refuse to pack a package whose build output is missing or
// older than its sources, so `pnpm pack`/`pnpm publish` can never ship an empty or stale `dist`.
// Runs in the package directory (npm and pnpm run `prepack` there). Plain JavaScript: it must run
// before anything is built.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file under `dir` (recursively) whose name passes `keep`. */
function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** The files `exports` points at (conditions flattened), except `package.json`. */
function exportTargets(exportsField) {
  if (typeof exportsField === "string") return [exportsField];
  if (exportsField === null || typeof exportsField !== "object") return [];
  return Object.values(exportsField).flatMap((value) => exportTargets(value));
}

/**
 * What is wrong with the build output of the package in `dir`, or `undefined` when it may be
 * packed: every file its `exports` names exists, `dist/` has JavaScript, and no source file
 * (`src/**`; tests and `test-support/`, `test-fixtures/` excluded) is newer than the oldest JavaScript file in `dist/`.
 */
export function checkBuilt(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const missing = [...new Set(exportTargets(manifest.exports))]
    .filter((target) => !target.endsWith("package.json"))
    .filter((target) => !existsSync(join(dir, target)));
  const built = filesUnder(join(dir, "dist"), (name) => name.endsWith(".js"));
  if (missing.length > 0 || built.length === 0) {
    const what = missing.length > 0 ? missing.join(", ") : "dist/*.js";
    return `${manifest.name}: nothing to pack, ${what} missing`;
  }
  const sources = filesUnder(join(dir, "src"), (name) => !/\.test\.ts$/.test(name)).filter(
    (file) => !/[\\/](test-support|test-fixtures)[\\/]/.test(relative(dir, file)),
  );
  const builtAt = Math.min(...built.map((file) => statSync(file).mtimeMs));
  const newer = sources.filter((file) => statSync(file).mtimeMs > builtAt);
  if (newer.length > 0) {
    const shown = newer.slice(0, 3).map((file) => relative(dir, file));
    const more = newer.length > 3 ? ` and ${newer.length - 3} more` : "";
    return `${manifest.name}: dist is stale, ${shown.join(", ")}${more} changed after the last build`;
  }
  return undefined;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problem = checkBuilt(process.cwd());
  if (problem) {
    process.stderr.write(
      `${problem}.\nBuild first: \`pnpm build\` at the repository root (or \`pnpm release:check\`, which builds, packs and checks every package).\n`,
    );
    process.exitCode = 1;
  }
}
