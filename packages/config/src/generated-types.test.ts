import { describe, expectTypeOf, it } from "vitest";
import type { OrchestratorConfigFile } from "./generated/orchestrator-config-file.js";
import type { OrchestratorConfigInput } from "./schema.js";

describe("generated file-format types", () => {
  it("match the zod input type in both directions (a compile-time check run by typecheck)", () => {
    expectTypeOf<OrchestratorConfigInput>().toExtend<OrchestratorConfigFile>();
    expectTypeOf<OrchestratorConfigFile>().toExtend<OrchestratorConfigInput>();
  });
});
