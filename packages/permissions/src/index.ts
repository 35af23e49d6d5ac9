export { check } from "./check.js";
export { type CheckContext, checkContextSchema, type ToolCall } from "./context.js";
export {
  CONTROL_FILE_GLOBS,
  CONTROL_FILE_SUMMARY,
  isControlPath,
  SANDBOX_CONTROL_DIRS,
  SANDBOX_CONTROL_NAMES,
} from "./control-files.js";
export type { Decision } from "./decision.js";
export {
  EFFECTIVE,
  type EffectiveInput,
  type EffectivePermissions,
  effectivePermissionsSchema,
  fromEffective,
  isEffectiveInput,
} from "./effective.js";
export { PermissionsError, type PermissionsErrorCode } from "./errors.js";
export { gitHooksControlDirs } from "./git-hooks-path.js";
export { decideRedirect, decideUrl, isCanonicalLoopback, type RedirectDecision } from "./network.js";
export {
  type OpencodePermissionOptions,
  toOpencodePermission,
  toOpencodeRuleset,
} from "./opencode-permission.js";
export type { OpencodeAction, OpencodePermission, OpencodeRule } from "./opencode-types.js";
export { opencodeWorktree } from "./opencode-worktree.js";
export { RULE_IDS, RULES, type RuleId } from "./rules.js";
export {
  probeBubblewrap,
  SANDBOX_PREFIX,
  SANDBOX_READ_ONLY,
  type SandboxOptions,
  type SandboxProbe,
  sandboxArgv,
  sandboxCommand,
} from "./sandbox.js";
export {
  EXECUTION_LEVELS,
  type ExecutionLevel,
  FILESYSTEM_LEVELS,
  type FilesystemLevel,
  NETWORK_LEVELS,
  type NetworkLevel,
  type Permissions,
  permissionsSchema,
  type ToolPermission,
  toolConstraintsSchema,
  toolPermissionSchema,
} from "./schema.js";
export { CATEGORY_TOOLS, isCategoryTool, normalizeToolName } from "./tool-names.js";
