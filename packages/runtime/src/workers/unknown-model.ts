import type { OpencodeClient } from "@opencode-ai/sdk/v2";
import { buildCatalogIndex, catalogFromOpencode, createResolver, ResolverError } from "@orchestra/resolver";
import { catalogOf } from "../catalog-server.js";
import type { ModelRef } from "./worker.js";

/**
 * Why a worker's prompt failed, when the cause is its model: OpenCode answers a prompt for a model
 * it does not have with an opaque server error ("Unexpected server error"), so the worker's own
 * catalog is read and the model resolved there, as a spawn would have: the same message,
 * suggestions and hints (`RESOLVER_UNKNOWN_MODEL`, `RESOLVER_UNKNOWN_PROVIDER`, …). `undefined`
 * when the model is in the catalog or the catalog cannot be read.
 */
export async function unknownModelError(
  client: OpencodeClient,
  model: ModelRef,
  signal: AbortSignal,
): Promise<ResolverError | undefined> {
  try {
    const { catalog } = await catalogOf(client, signal);
    createResolver(buildCatalogIndex(catalogFromOpencode(catalog))).resolve(
      `${model.providerID}/${model.modelID}`,
    );
    return undefined;
  } catch (error) {
    return ResolverError.isInstance(error) ? error : undefined;
  }
}

/** What to do about worker `workerId`'s model that its OpenCode does not have: the close matches, the resolver's hints, how to start it again. */
export function unknownModelHints(error: ResolverError, workerId: string): string[] {
  return [
    ...(error.suggestions.length > 0 ? [`did you mean: ${error.suggestions.join(", ")}?`] : []),
    ...error.hints,
    `stop worker ${workerId} (stop_worker or \`orchestra workers stop ${workerId}\`) and spawn it again (spawn_worker or \`orchestra workers spawn\`) with a model its OpenCode has`,
  ];
}
