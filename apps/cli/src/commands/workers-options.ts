import { existing, fileInExistingDirectory } from "../arg-parsers.js";

const REGISTRY_HELP = "the device registry file (default: $XDG_DATA_HOME/opencode/orchestra/registry.json)";

/** The `--registry` option of the `workers` subcommands that read the registry: the file must exist. */
export const REGISTRY_OPTION = ["--registry <file>", REGISTRY_HELP, existing("file")] as const;

/** The `--registry` option of `workers spawn`, which may create the file (its directory must exist). */
export const NEW_REGISTRY_OPTION = ["--registry <file>", REGISTRY_HELP, fileInExistingDirectory] as const;

/** `{ registryFile }` when `--registry` was given, for the runtime's device functions. */
export function device(options: { registry?: string }): { registryFile?: string } {
  return options.registry === undefined ? {} : { registryFile: options.registry };
}
