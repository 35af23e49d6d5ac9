import { OrchestraError } from "@orchestra/core";
import { expect } from "vitest";
import type { MemoryErrorCode } from "./memory-error.js";

/** Await `promise` and expect it to reject with the MemoryError `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: MemoryErrorCode): Promise<OrchestraError> {
  try {
    await promise;
  } catch (error) {
    expect(OrchestraError.isInstance(error)).toBe(true);
    expect((error as OrchestraError).code).toBe(code);
    expect((error as OrchestraError).name).toBe("MemoryError");
    return error as OrchestraError;
  }
  throw new Error(`expected a MemoryError ${code}, but the call succeeded`);
}
