/**
 * Shared primitives of Open Orchestra: the one error base class, issues, did-you-mean, a typed emitter and backoff.
 * @packageDocumentation
 * @module @orchestra/core
 */
export { errorMarker, OrchestraError, type OrchestraErrorOptions } from "./orchestra-error.js";
