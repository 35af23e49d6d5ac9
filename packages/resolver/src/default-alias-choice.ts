// Resolve a default alias: choose the family member among the connected providers, or fail saying who offers it.
import type { IndexedModel } from "./catalog-index.js";
import { failWith, type Outcome, providerHint, type ResolverContext } from "./context.js";
import { type DefaultAlias, type Family, familyMember, familyOf, type Member } from "./default-aliases.js";

/** Newest first: version, then release date, then the plain id over a snapshot or preview. */
const newestFirst = (a: Member, b: Member): number =>
  b.major - a.major ||
  b.minor - a.minor ||
  b.entry.releaseKey - a.entry.releaseKey ||
  Number(a.qualified) - Number(b.qualified) ||
  (a.entry.ref < b.entry.ref ? -1 : a.entry.ref > b.entry.ref ? 1 : 0);

/** Cheaper first (unknown last): only between gateways offering the same version. */
const cheaper = (a: Member, b: Member): number =>
  (a.entry.price ?? Number.POSITIVE_INFINITY) - (b.entry.price ?? Number.POSITIVE_INFINITY);

/** The chosen member of a default alias's family, and the reason line; or a failure. */
export type DefaultAliasChoice =
  | { readonly ok: true; readonly entry: IndexedModel; readonly reason: string }
  | { readonly ok: false; readonly outcome: Outcome };

/**
 * Choose the model a default alias means now. Among connected, non-deprecated chat models of the
 * family: the first `preferredProviders` entry that has one, else the first party, else the gateway
 * with the newest version (cheaper on a tie); within that provider, the newest version.
 */
export function chooseDefaultAlias(ctx: ResolverContext, name: DefaultAlias): DefaultAliasChoice {
  const f = familyOf(name);
  const current = (e: IndexedModel): Member | undefined =>
    e.chat && !e.deprecated ? familyMember(f, e) : undefined;
  const members: Member[] = [];
  for (const e of ctx.index.connectedModels) {
    const m = current(e);
    if (m !== undefined) members.push(m);
  }
  if (members.length === 0) {
    const inCatalog = ctx.index.models.some((e) => !e.connected && current(e) !== undefined);
    return { ok: false, outcome: noMember(ctx, name, f, inCatalog) };
  }
  members.sort(newestFirst);
  const byProvider = (p: string) => members.filter((m) => m.entry.model.providerId === p);
  let pool: Member[] = [];
  let why = "";
  for (const [rank, p] of ctx.preferred.entries()) {
    pool = byProvider(p);
    if (pool.length > 0) {
      why = `preferred provider "${p}" (preference ${rank + 1})`;
      break;
    }
  }
  if (pool.length === 0) {
    for (const p of f.makers) {
      pool = byProvider(p);
      if (pool.length > 0) {
        why = `"${p}", the first party`;
        break;
      }
    }
  }
  if (pool.length === 0) {
    const best = [...members].sort((a, b) => newestFirst(a, b) || cheaper(a, b))[0] as Member;
    const p = best.entry.model.providerId;
    pool = byProvider(p);
    why = `"${p}", a gateway (no first-party provider ${f.makers.map((m) => `"${m}"`).join(" or ")} is connected)`;
  }
  const winner = pool[0] as Member;
  const older = pool.find((m) => m.major !== winner.major || m.minor !== winner.minor);
  const date = winner.entry.model.releaseDate;
  const reason = `default alias "${name}" → "${winner.entry.ref}": the newest ${f.label} (version ${winner.version}${date === null ? "" : `, released ${date}`}) of ${why}${older === undefined ? "" : `; newer than "${older.entry.ref}"`}`;
  return { ok: true, entry: winner.entry, reason };
}

/** No connected provider offers the family: say who does. */
function noMember(ctx: ResolverContext, name: DefaultAlias, f: Family, inCatalog: boolean): Outcome {
  if (!inCatalog) {
    return failWith(
      name,
      "RESOLVER_UNKNOWN_MODEL",
      `Default alias "${name}" stands for ${f.label}, and the catalog has no current model of that family.`,
      { hints: ["Name a model as provider/model, or define the alias yourself in modelAliases."] },
    );
  }
  const maker = f.makers.find((p) => ctx.index.provider(p) !== undefined) ?? f.makers[0] ?? "";
  return failWith(
    name,
    "RESOLVER_PROVIDER_NOT_CONNECTED",
    `Default alias "${name}" stands for ${f.label}, and no connected provider offers a current model of that family.`,
    {
      hints: [
        providerHint(ctx, maker),
        `Or define "${name}" yourself in modelAliases to point it at a model you have.`,
      ],
    },
  );
}
