import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildArtifacts } from "./artifacts.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const artifacts = await buildArtifacts();

describe("generated files are up to date with packages/config/src/schema.ts", () => {
  it.each(artifacts.map((a) => [a.path, a] as const))("%s", (path, artifact) => {
    let committed = "";
    try {
      committed = readFileSync(join(repo, path), "utf8");
    } catch {
      committed = "(missing)";
    }
    // On failure: run `pnpm generate` and commit the result.
    expect(committed === artifact.content, `${path} is stale: run \`pnpm generate\``).toBe(true);
  });
});
