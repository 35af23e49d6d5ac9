/**
 * What is wrong with the build output of the package in `dir`, or `undefined` when it may be
 * packed (see prepack-guard.mjs).
 */
export function checkBuilt(dir: string): string | undefined;
