/**
 * Shared primitives of Open Orchestra, each defined once: the error base class, issues and their
 * formatting (from zod too), did-you-mean suggestions, a typed event emitter and backoff.
 * @packageDocumentation
 * @module @orchestra/core
 */
export { type BackoffOptions, backoffDelay, type ResolvedBackoff, resolveBackoff } from "./backoff.js";
export { closeLimit, didYouMean, editDistance, suggestions } from "./did-you-mean.js";
export { formatIssue, formatPath, type Issue, type PathSegment, parsePath, showValue } from "./issue.js";
export { errorMarker, OrchestraError, type OrchestraErrorOptions } from "./orchestra-error.js";
export { type EventMap, TypedEmitter } from "./typed-emitter.js";
export {
  issuesFromZod,
  type SchemaIssue,
  type SchemaIssueFound,
  type SchemaIssueOptions,
} from "./zod-issues.js";
