/**
 * `@orchestra/runtime/internal`: UNSTABLE. Internals that tests in other packages of this
 * repository use to set up a device registry by hand. Not part of the public API: names and
 * shapes change without a major version. Use `@orchestra/runtime` instead.
 *
 * @packageDocumentation
 */

export { openRegistry } from "./registry/registry.js";
export { defaultProviderSlotsFile, ProviderSlots } from "./workers/provider-slots.js";
