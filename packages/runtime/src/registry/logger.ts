/**
 * Where the registry reports what it repaired (a corrupt file set aside, invalid entries dropped).
 * Inject one to route warnings to the orchestrator's log; the default writes to `console.warn`.
 */
export interface RegistryLogger {
  /** A recoverable problem: the registry carried on, but a human may want to look. */
  warn(message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** The default {@link RegistryLogger}: one `console.warn` line per warning. */
export const consoleRegistryLogger: RegistryLogger = {
  warn(message, details) {
    if (details === undefined) console.warn(`[orchestra/registry] ${message}`);
    else console.warn(`[orchestra/registry] ${message}`, details);
  },
};
