/** Exit codes shared by every `orchestra` command. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** The command ran and found a problem (invalid config, resolution error, deny…). */
  failure: 1,
  /** Bad usage: unknown command or option, missing argument. */
  usage: 2,
} as const;
