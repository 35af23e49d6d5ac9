export type { AliasResolution, AliasRow } from "./alias-table.js";
export { aliasTable } from "./alias-table.js";
export type { AutoTag, AutoTagSpec, Requirements } from "./auto-tags.js";
export { AUTO_TAG_SPECS, AUTO_TAGS, parseAutoTag } from "./auto-tags.js";
export type {
  CapabilityField,
  CapabilityLayer,
  CapabilityPatch,
  CapabilitySource,
  ModelCapabilities,
  ModelKind,
} from "./capabilities.js";
export {
  CAPABILITY_PRECEDENCE,
  catalogPatch,
  inferCapabilitiesFromName,
  isChatModel,
  MODEL_KINDS,
  mergeCapabilities,
} from "./capabilities.js";
export type {
  Catalog,
  CatalogCapabilities,
  CatalogModel,
  CatalogProvider,
  Modality,
  ModalitySet,
  ModelCost,
} from "./catalog.js";
export { inputPricePer1k, isDeprecated, MODALITIES } from "./catalog.js";
export type { CatalogIndex, CatalogIndexOptions, IndexedModel } from "./catalog-index.js";
export { buildCatalogIndex } from "./catalog-index.js";
export type { FetchCatalogOptions } from "./catalog-io.js";
export { fetchCatalog, parseCatalogBytes, readCatalogFile } from "./catalog-io.js";
export type { DefaultAlias } from "./default-aliases.js";
export { DEFAULT_ALIASES, describeDefaultAlias } from "./default-aliases.js";
export {
  describeCapabilities,
  describeResolution,
  describeResolverError,
  summarizeResolution,
} from "./describe.js";
export type { SizeHint } from "./model-traits.js";
export type {
  CatalogFromOpencodeOptions,
  OpencodeModel,
  OpencodeProvider,
  OpencodeProviderList,
} from "./opencode-catalog.js";
export { catalogFromOpencode } from "./opencode-catalog.js";
export type { QualityTerms, TierSource } from "./quality.js";
export type { RankedCandidate, SelectionMode } from "./ranking.js";
export { BALANCED_WEIGHTS, rankCandidates, SELECTION_MODES, tagScore, tieBreak } from "./ranking.js";
export type { ClassifiedReference, ModelAliases } from "./reference.js";
export { classifyReference } from "./reference.js";
export type {
  ModelFilter,
  ModelSelection,
  ModelSummary,
  ProfileModelSpec,
  Provenance,
  RejectedCandidate,
  Resolution,
  ResolvedCost,
  ResolveOptions,
  ResolveResult,
  Resolver,
  ResolverConfig,
} from "./resolution.js";
export { createResolver } from "./resolver.js";
export type {
  FailedAttempt,
  ResolverErrorCode,
  ResolverErrorJson,
  ResolverErrorOptions,
} from "./resolver-error.js";
export { ResolverError } from "./resolver-error.js";
export {
  BUILTIN_OPENCODE_PROVIDER,
  restrictToUserProviders,
  type UserProviderChoice,
} from "./user-providers.js";
export type { ModelConfigInput, ModelConfigIssue, ModelConfigIssueCode } from "./validate-model-config.js";
export { validateModelConfig } from "./validate-model-config.js";
