/* OpenCode's permission shapes, as its config and `session.create` take them. */

/** OpenCode's permission action. */
export type OpencodeAction = "allow" | "ask" | "deny";
/** OpenCode's `permission` config: a permission → an action, or pattern → action (last match wins). */
export type OpencodePermission = Record<string, OpencodeAction | Record<string, OpencodeAction>>;
/** One rule of an OpenCode ruleset, the form `session.create({ permission })` takes. */
export interface OpencodeRule {
  permission: string;
  pattern: string;
  action: OpencodeAction;
}
