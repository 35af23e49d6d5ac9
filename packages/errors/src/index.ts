/**
 * The one error base class of Open Orchestra.
 * @packageDocumentation
 * @module @orchestra/errors
 */
export { OrchestraError, type OrchestraErrorOptions } from "./orchestra-error.js";
