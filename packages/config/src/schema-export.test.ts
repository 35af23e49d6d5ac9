import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoSchema = join(packageDir, "..", "..", "schema", "orchestrator.schema.json");

describe("@orchestra/config/schema.json", () => {
  it("resolves (import specifier and require) to the built copy of the generated JSON Schema", () => {
    const require = createRequire(join(packageDir, "package.json"));
    const file = require.resolve("@orchestra/config/schema.json");
    expect(file).toBe(join(packageDir, "schema.json"));
    expect(readFileSync(file, "utf8")).toBe(readFileSync(repoSchema, "utf8"));
    expect(import.meta.resolve("@orchestra/config/schema.json")).toBe(`file://${file}`);
  });

  it("is the path that the schema's own `$schema` example gives", () => {
    const schema = JSON.parse(readFileSync(repoSchema, "utf8")) as {
      properties: { $schema: { examples: string[] } };
    };
    expect(schema.properties.$schema.examples).toEqual(["./node_modules/@orchestra/config/schema.json"]);
  });
});
