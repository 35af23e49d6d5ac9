export { OrchestraError, type OrchestraErrorOptions } from "./orchestra-error.js";
