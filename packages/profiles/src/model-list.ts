import type { ProfileDefinition } from "./schema.js";

/**
 * A definition whose `model` is an ordered list, as the resolver and the runtime read it: the
 * first reference is `model`, the rest come first in `fallbackModels` (then its own entries,
 * without repeats). `model: ["a", "b"]` is the same profile as `model: "a", fallbackModels: ["b"]`:
 * `b` is tried when `a` cannot be resolved, and a worker moves to it when `a` fails at run time.
 */
type ModelListDefinition = Omit<ProfileDefinition, "model"> & { model?: string };

/** Normalise a definition's `model` list to `model` + `fallbackModels` (a string `model` is kept as is). */
export function withModelList(def: ProfileDefinition): ModelListDefinition {
  if (!Array.isArray(def.model)) return def as ModelListDefinition;
  const [first, ...rest] = def.model;
  const fallbackModels = [...new Set([...rest, ...(def.fallbackModels ?? [])])].filter((m) => m !== first);
  return { ...def, model: first, fallbackModels };
}
