/**
 * Set in a worktree worker's environment (`isolation: worktree`): the project directory whose config
 * (`orchestrator.json`, profiles) the worker's plugin loads. The worktree holds HEAD's copy of that
 * config, which can differ from what the orchestrator resolved the worker's profile from (an
 * uncommitted or newer edit, a profile the copy lacks).
 */
export const PROJECT_DIR_ENV = "ORCHESTRA_PROJECT_DIR";
