import { RegistryError } from "./errors.js";

/**
 * The next stable worker id for `profile` (DECISIONS, "Workers and lifecycle"): `<profile>` for
 * the first worker, then `<profile>-2`, `<profile>-3`, … — the lowest one not in `existingIds`.
 * Pass every id in the registry (all profiles), so that a profile named `coder-2` and the second
 * `coder` worker can never collide. Allocate inside `registry.transact` so that two orchestrators
 * cannot pick the same id.
 *
 * @throws {RegistryError} `REGISTRY_INVALID_ARGUMENT` when `profile` is empty.
 * @example nextWorkerId("coder", ["coder", "docs"]) // "coder-2"
 */
export function nextWorkerId(profile: string, existingIds: Iterable<string>): string {
  if (profile === "") {
    throw new RegistryError(
      "REGISTRY_INVALID_ARGUMENT",
      "cannot allocate a worker id for an empty profile id",
      {
        hints: ["pass the id of the profile the worker runs, e.g. `coder`"],
      },
    );
  }
  const taken = new Set(existingIds);
  if (!taken.has(profile)) return profile;
  for (let n = 2; ; n++) {
    const id = `${profile}-${n}`;
    if (!taken.has(id)) return id;
  }
}
