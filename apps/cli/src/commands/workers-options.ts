import { InvalidArgumentError } from "commander";

/** The `--registry` option every `workers` subcommand shares. */
export const REGISTRY_OPTION = [
  "--registry <file>",
  "the device registry file (default: $XDG_DATA_HOME/opencode/orchestra/registry.json)",
] as const;

/** `{ registryFile }` when `--registry` was given, for the runtime's device functions. */
export function device(options: { registry?: string }): { registryFile?: string } {
  return options.registry === undefined ? {} : { registryFile: options.registry };
}

/** A commander parser of a duration in milliseconds, from 0 to `max`. */
export function millisecondsUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max)
      throw new InvalidArgumentError(`an integer from 0 to ${max}`);
    return n;
  };
}
