import type { OrchestratorConfig } from "@orchestra/config";
import { BUILTIN_OPENCODE_PROVIDER, classifyReference } from "@orchestra/resolver";
import { type CheckResult, checkResult } from "./check.js";
import { type ProfileModel, usableCatalog } from "./profile-models.js";
import type { ServerFacts } from "./server-access.js";

const CONNECT_HINT =
  "connect the provider in OpenCode (`opencode auth login`, or its API-key variable), restart the server, and run doctor again";

function explicitProvider(ref: string, aliases: Readonly<Record<string, string>>): string | undefined {
  try {
    const c = classifyReference(ref, aliases);
    const target = c.kind === "alias" ? c.target : c;
    return target.kind === "explicit" ? target.providerId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `providers`: the providers connected in the server (`GET /provider`) against those the profiles'
 * models use. Workers count OpenCode's built-in free provider only when it is the provider of the
 * user's default model or in `modelSelection.preferredProviders`. `fail` when no provider workers
 * would use is connected, `warn` when a profile names a provider that is not connected. Needs
 * `--server` (`pass`, saying so, without).
 */
export function checkProviders(
  server: ServerFacts | undefined,
  models: readonly ProfileModel[],
  config?: OrchestratorConfig,
): CheckResult {
  if (server === undefined)
    return checkResult(
      "providers",
      "pass",
      "not checked: give --server URL (a running opencode serve) to compare its connected providers with the profiles' models",
    );
  if (!server.catalog.ok)
    return checkResult(
      "providers",
      server.catalog.unauthorized ? "warn" : "fail",
      `${server.catalog.unauthorized ? "not checked" : "cannot read the server's providers"}: ${server.catalog.reason}`,
      server.catalog.hint ?? "check the --server URL",
    );
  const connected = server.catalog.catalog.connected;
  if (connected.length === 0)
    return checkResult("providers", "fail", "no provider is connected in the server", CONNECT_HINT);
  const usable = usableCatalog(server.catalog.catalog, {
    ...(config === undefined ? {} : { config }),
    ...(server.defaultModel === undefined ? {} : { defaultModel: server.defaultModel }),
  }).connected;
  const skipped =
    connected.includes(BUILTIN_OPENCODE_PROVIDER) && !usable.includes(BUILTIN_OPENCODE_PROVIDER);
  if (usable.length === 0)
    return checkResult(
      "providers",
      "fail",
      `only OpenCode's built-in free provider (${BUILTIN_OPENCODE_PROVIDER}) is connected, and workers use it only when it is your default model's provider or in modelSelection.preferredProviders`,
      `${CONNECT_HINT}; or add "${BUILTIN_OPENCODE_PROVIDER}" to modelSelection.preferredProviders to run workers on its free models`,
    );
  const aliases = config?.modelAliases ?? {};
  const use = new Map<string, string[]>();
  for (const m of models)
    if (m.ok) use.set(m.resolution.providerId, [...(use.get(m.resolution.providerId) ?? []), m.id]);
  const usage = [...use].map(([p, ids]) => `${p} (${ids.join(", ")})`).join(", ");
  const problems: string[] = [];
  for (const m of models) {
    for (const ref of [m.profile.model, ...m.profile.fallbackModels]) {
      const provider = explicitProvider(ref, aliases);
      if (provider !== undefined && !usable.includes(provider))
        problems.push(
          `${m.id}: ${ref} needs provider ${provider}, which ${provider === BUILTIN_OPENCODE_PROVIDER ? "workers do not use (not chosen)" : "is not connected"}${m.ok ? `; it uses ${m.resolution.model} instead` : ""}`,
        );
    }
  }
  const note = skipped
    ? ` (workers skip ${BUILTIN_OPENCODE_PROVIDER}, OpenCode's built-in free provider: it is neither your default model's provider nor in modelSelection.preferredProviders)`
    : "";
  const summary = `connected: ${connected.join(", ")}${note}; the profiles use: ${usage || "(no profile's model resolves)"}`;
  if (problems.length > 0)
    return checkResult("providers", "warn", [summary, ...problems].join("\n"), CONNECT_HINT);
  return checkResult("providers", "pass", summary);
}
