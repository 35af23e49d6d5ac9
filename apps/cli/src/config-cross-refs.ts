import type { LoadedConfig } from "@orchestra/config";
import { didYouMean, formatPath, type Issue, type PathSegment } from "@orchestra/core";
import type { ProfileRegistry } from "@orchestra/profiles";
import { classifyReference, ResolverError } from "@orchestra/resolver";

/** The file that wrote `path` (or a value under it), from the loader's leaf sources. */
function fileOf(loaded: LoadedConfig, path: readonly PathSegment[]): { file?: string } {
  const prefix = formatPath(path);
  const found = Object.entries(loaded.sources).find(
    ([leaf, source]) =>
      source !== "default" &&
      (leaf === prefix || leaf.startsWith(`${prefix}.`) || leaf.startsWith(`${prefix}[`)),
  );
  return found === undefined ? {} : { file: found[1] };
}

/** Profiles written by the user (config or files) that fail to resolve, each problem once. */
function profileIssues(registry: ProfileRegistry): Issue[] {
  const issues: Issue[] = [...registry.issues];
  const seen = new Set(issues.map((i) => `${i.file}|${i.path}|${i.problem}`));
  for (const entry of registry.list({ includeDisabled: true })) {
    if (entry.ok || registry.definition(entry.id)?.source.kind === "builtin") continue;
    for (const issue of entry.error.issues) {
      const key = `${issue.file}|${issue.path}|${issue.problem}`;
      if (!seen.has(key)) issues.push(issue);
      seen.add(key);
    }
  }
  return issues;
}

/** An id at `path` that names no profile, with the file that wrote it. */
function unknownId(loaded: LoadedConfig, registry: ProfileRegistry, path: PathSegment[], id: string): Issue {
  const suggestion = didYouMean(id, registry.ids());
  return {
    ...fileOf(loaded, path),
    path: formatPath(path),
    problem: "no profile has this id",
    got: JSON.stringify(id),
    expected: "a built-in or a profile defined in config or .opencode/",
    ...(suggestion === undefined ? {} : { didYouMean: suggestion }),
  };
}

/** `workers` names (string entries), `warmPool.profiles` and `budgets` keys that name no profile. */
function idIssues(loaded: LoadedConfig, registry: ProfileRegistry): Issue[] {
  const issues: Issue[] = [];
  loaded.config.workers.forEach((entry, index) => {
    if (typeof entry === "string" && !registry.has(entry))
      issues.push(unknownId(loaded, registry, ["workers", index], entry));
  });
  for (const id of Object.keys(loaded.config.warmPool.profiles)) {
    if (!registry.has(id)) issues.push(unknownId(loaded, registry, ["warmPool", "profiles", id], id));
  }
  // A budget of no profile would never apply: the spend it means to cap runs unbudgeted.
  for (const id of Object.keys(loaded.config.budgets)) {
    if (!registry.has(id)) issues.push(unknownId(loaded, registry, ["budgets", id], id));
  }
  return issues;
}

/** `modelAliases` entries that lead back to themselves. */
function aliasIssues(loaded: LoadedConfig): Issue[] {
  const aliases = loaded.config.modelAliases;
  const issues: Issue[] = [];
  for (const name of Object.keys(aliases)) {
    try {
      classifyReference(name, aliases);
    } catch (error) {
      if (!ResolverError.isInstance(error) || error.code !== "RESOLVER_ALIAS_CYCLE") throw error;
      const path = ["modelAliases", name];
      issues.push({
        ...fileOf(loaded, path),
        path: formatPath(path),
        problem: error.message,
        expected: "an alias chain that ends at a model or an auto tag",
      });
    }
  }
  return issues;
}

/**
 * The problems a config has only as a whole, which the schema cannot see and which would otherwise
 * appear at run time: profiles whose `extends` names no profile or forms a cycle, `workers`,
 * `warmPool.profiles` and `budgets` naming profiles that don't exist, and `modelAliases` cycles. Each names its
 * file and JSON path.
 */
export function crossReferenceIssues(loaded: LoadedConfig, registry: ProfileRegistry): Issue[] {
  return [...profileIssues(registry), ...idIssues(loaded, registry), ...aliasIssues(loaded)];
}
