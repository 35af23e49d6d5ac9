// How configuration keys relate to each other, for the generated configuration reference: the keys that
// interact ("related options") and the cross-key rules the code enforces. Keys are reference paths
// (`[]` for any list item, `<profile-id>`, `<provider/model>` or `<name>` for any map key). A test checks that
// every key named here exists in the schema, so this table cannot name a key that is gone.

/** Keys that act on each other; each key of a group lists every other key of it as a related option. */
export interface ConfigRelation {
  /** Reference paths of the keys, at least two. */
  keys: readonly string[];
  /** How they interact, in one sentence (for maintainers; the reference shows only the links). */
  why: string;
}

/** A rule across keys that the code checks, and where. */
export interface ConfigRule {
  /** Reference paths of the keys the rule involves; the first is where a violation is reported. */
  keys: readonly string[];
  /** The rule, as the reference states it. */
  rule: string;
  /** The error or issue code a violation raises, when it has one. */
  code?: string;
  /** Which check enforces it. */
  checkedBy: string;
}

const SCHEMA = "schema (every load)";
const CROSS_REFS = "`orchestra config validate` and `orchestra doctor` (cross-reference check)";
const PROFILES = "profile resolution (`orchestra config validate`, `orchestra doctor`, spawning)";

/** Every group of related keys. */
export const configRelations: readonly ConfigRelation[] = [
  { keys: ["autoSpawn", "workers"], why: "`autoSpawn` spawns the profiles listed in `workers`." },
  { keys: ["workers", "profiles", "profiles[].id"], why: "`workers` entries name or define profiles by id." },
  {
    keys: ["profiles[].extends", "profiles[].compose", "profiles[].id"],
    why: "`extends` and `compose` name parent profiles by id and exclude each other.",
  },
  {
    keys: ["profiles[].model", "profiles[].fallbackModels", "modelAliases"],
    why: "Model references may be aliases; fallbacks follow the model.",
  },
  {
    keys: ["profiles[].fallbackModels", "modelSelection.fallbackCooldownMs"],
    why: "After a run-time fallback, asks keep to it for the cooldown.",
  },
  {
    keys: [
      "profiles[].model",
      "modelSelection.mode",
      "modelSelection.maxCostPer1kTokens",
      "modelSelection.preferredProviders",
      "modelSelection.allowFree",
      "modelSelection.allowPreview",
      "modelSelection.allowDeprecated",
    ],
    why: "`auto:*` model tags pick a model under the selection settings.",
  },
  {
    keys: ["capabilityOverrides", "capabilityOverrides.<provider/model>.kind", "profiles[].model"],
    why: "Capability overrides change which models `auto:*` tags may pick.",
  },
  {
    keys: ["modelSelection.maxConcurrent", "modelSelection.preferredProviders"],
    why: "Both are keyed by provider id.",
  },
  {
    keys: ["profiles[].permissions.categories.execution", "profiles[].permissions.tools.<name>.constraints"],
    why: "Shell constraints narrow what the execution category allows.",
  },
  {
    keys: [
      "profiles[].permissions.tools.<name>.constraints.allowedCommands",
      "profiles[].permissions.tools.<name>.constraints.deniedFlags",
    ],
    why: "Both constrain the shell tool.",
  },
  {
    keys: ["profiles[].permissions.categories", "profiles[].permissions.tools.<name>.enabled"],
    why: "A tool switch can narrow its category, never widen it.",
  },
  { keys: ["warmPool.profiles", "profiles", "warmPool.enabled"], why: "Warm pools are kept per profile id." },
  { keys: ["budgets", "profiles"], why: "Budgets are keyed by profile id." },
  {
    keys: [
      "budgets.<profile-id>.maxCostUsd",
      "budgets.<profile-id>.maxTokens",
      "budgets.<profile-id>.scope",
      "budgets.<profile-id>.warnAt",
    ],
    why: "The limits are spent over `scope` and warned about at `warnAt`.",
  },
  {
    keys: ["healthCheck.intervalMs", "healthCheck.timeoutMs", "healthCheck.maxRetries"],
    why: "Together they decide when a worker is unhealthy.",
  },
  {
    keys: ["healthCheck.respawn.enabled", "healthCheck.respawn.maxRestarts", "healthCheck.respawn.windowMs"],
    why: "The restart budget is `maxRestarts` within `windowMs`.",
  },
  // Each workflow limit with the security limit of the same name.
  ...(["maxSteps", "maxTaskChars", "maxCarryChars", "perStepTimeoutMs"] as const).map((limit) => ({
    keys: [`workflows.roocodeBoomerang.${limit}`, `security.workflows.${limit}`],
    why: "The security limit caps the workflow's.",
  })),
  {
    keys: ["workflows.roocodeBoomerang.steps[].workerId", "profiles[].id"],
    why: "A step's `workerId` names the profile that runs it.",
  },
  {
    keys: ["workflows.roocodeBoomerang.steps[].carry", "workflows.roocodeBoomerang.maxCarryChars"],
    why: "Carried output is cut to `maxCarryChars`.",
  },
  {
    keys: ["ui.injectSystemContext", "ui.systemContextMaxWorkers"],
    why: "The injected context lists at most that many workers.",
  },
  { keys: ["memory.autoInject", "memory.inject"], why: "`inject` bounds what auto-injection adds." },
  { keys: ["memory.embedded", "memory.neo4j"], why: "The two memory stores." },
];

/** Every cross-key rule the code enforces. */
export const configRules: readonly ConfigRule[] = [
  {
    keys: ["profiles[].extends", "profiles[].id"],
    rule: "Every profile named in `extends` or `compose` exists: a built-in, or a profile defined in config or `.opencode/`.",
    code: "PROFILE_UNKNOWN_PARENT",
    checkedBy: PROFILES,
  },
  {
    keys: ["profiles[].extends", "profiles[].compose"],
    rule: "`extends`/`compose` chains do not form a cycle (a user profile that extends its own id extends the built-in it overrides).",
    code: "PROFILE_CYCLE",
    checkedBy: PROFILES,
  },
  {
    keys: ["profiles[].compose", "profiles[].extends"],
    rule: "A profile sets `extends` or `compose`, not both.",
    code: "PROFILE_CONFLICT",
    checkedBy: SCHEMA,
  },
  {
    keys: ["profiles[].permissions.tools"],
    rule: "No two entries of `permissions.tools` name the same tool (names match without regard to case; `bash`/`shell` and `apply_patch`/`patch` are one tool each).",
    code: "PROFILE_DUPLICATE_TOOL",
    checkedBy: SCHEMA,
  },
  {
    keys: ["profiles[].id"],
    rule: "A profile id is defined once across config and `.opencode/` profile files.",
    code: "PROFILE_DUPLICATE",
    checkedBy: PROFILES,
  },
  {
    keys: ["profiles", "profiles[].id"],
    rule: "A string entry of `profiles` names an existing profile.",
    code: "PROFILE_NOT_FOUND",
    checkedBy: PROFILES,
  },
  {
    keys: ["workers", "profiles[].id"],
    rule: "A string entry of `workers` names an existing profile.",
    checkedBy: CROSS_REFS,
  },
  {
    keys: ["warmPool.profiles", "profiles[].id"],
    rule: "Every key of `warmPool.profiles` names an existing profile.",
    checkedBy: CROSS_REFS,
  },
  {
    keys: ["budgets", "profiles[].id"],
    rule: "Every key of `budgets` names an existing profile (a budget of no profile would never apply).",
    checkedBy: CROSS_REFS,
  },
  {
    keys: ["modelAliases"],
    rule: "An alias chain ends at a model or an `auto:*` tag: no alias leads back to itself.",
    code: "RESOLVER_ALIAS_CYCLE",
    checkedBy: CROSS_REFS,
  },
  {
    keys: ["budgets.<profile-id>.maxCostUsd", "budgets.<profile-id>.maxTokens"],
    rule: "A budget sets `maxCostUsd`, `maxTokens` or both.",
    checkedBy: SCHEMA,
  },
  {
    keys: [
      "security.workflows",
      "workflows.roocodeBoomerang.maxSteps",
      "workflows.roocodeBoomerang.maxTaskChars",
      "workflows.roocodeBoomerang.maxCarryChars",
      "workflows.roocodeBoomerang.perStepTimeoutMs",
    ],
    rule: "Each workflow limit in effect is the smaller of the workflow's setting and its `security.workflows` limit.",
    checkedBy: "`run_workflow`",
  },
];

/**
 * The related options of the key at `path`: every other key of its relation groups and of its rules, in
 * the order `order` lists keys (the reference's order), without duplicates.
 */
export function relatedKeys(path: string, order: readonly string[]): string[] {
  const related = new Set<string>();
  for (const group of [...configRelations, ...configRules]) {
    if (!group.keys.includes(path)) continue;
    for (const key of group.keys) if (key !== path) related.add(key);
  }
  return order.filter((key) => related.has(key));
}

/** The rules that involve the key at `path`. */
export function rulesOf(path: string): ConfigRule[] {
  return configRules.filter((rule) => rule.keys.includes(path));
}
