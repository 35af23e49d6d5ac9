import type { BeforeHook } from "./enforcement.js";

/**
 * FOR TESTS ONLY, AND UNSAFE: set to `1` in the environment of the orchestrator's OpenCode, this
 * switches the plugin's own `tool.execute.before` enforcement off (the host's, for session workers,
 * and each process worker's), so a test can prove that OpenCode's compiled `permission` (the second
 * line of defence) denies on its own. Workers then run held only by that permission.
 *
 * Why an environment variable of the host, and why a worker cannot turn it on:
 * - it is read once, when the plugin module loads, and removed from `process.env` at once, so no
 *   command a worker runs (nor a later plugin instance) sees or inherits it;
 * - the orchestrator hands it to the process workers it spawns only when it was set for the host
 *   ({@link unsafeWorkerEnv}); a worker sets no environment of the host or of its own server;
 * - every config file that could start a process with it is a control file, never writable by a worker.
 * A separate build entry was the other choice; it is not safer (whoever can change the plugin entry
 * can change the environment too) and it would ship a second, unenforcing plugin in `dist/`.
 */
export const UNSAFE_NO_ENFORCEMENT_ENV = "ORCHESTRA_UNSAFE_TEST_ONLY_NO_ENFORCEMENT";

/** Read (and remove) the switch from `env`; true when it is exactly `1`. Call once, at module load. */
export function takeUnsafeNoEnforcement(env: NodeJS.ProcessEnv): boolean {
  const off = env[UNSAFE_NO_ENFORCEMENT_ENV] === "1";
  delete env[UNSAFE_NO_ENFORCEMENT_ENV];
  return off;
}

/** The warning logged (at `warn`) wherever the switch is on. */
export function unsafeNoEnforcementWarning(where: string): string {
  return `UNSAFE TEST-ONLY MODE in ${where}: ${UNSAFE_NO_ENFORCEMENT_ENV}=1 switched Open Orchestra's tool.execute.before enforcement OFF; workers are held only by OpenCode's own permission config. Never set it outside the test suite.`;
}

/** The environment process workers get for the switch: it, only when the host had it. */
export function unsafeWorkerEnv(off: boolean): Record<string, string> {
  return off ? { [UNSAFE_NO_ENFORCEMENT_ENV]: "1" } : {};
}

/** `hook`, or a hook that checks nothing when the switch is on. */
export function enforcementHook(hook: BeforeHook, off: boolean): BeforeHook {
  return off ? async () => undefined : hook;
}
