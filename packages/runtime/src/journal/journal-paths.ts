import { dirname, join } from "node:path";
import { defaultRegistryFile } from "../registry/paths.js";

/**
 * The default job journal: `jobs.db` beside the device registry
 * (`$XDG_DATA_HOME/opencode/orchestra/jobs.db`), or beside `registryFile` when one is given. That
 * folder is a control folder: workers can neither read nor write it.
 */
export function defaultJournalFile(registryFile: string = defaultRegistryFile()): string {
  return join(dirname(registryFile), "jobs.db");
}
