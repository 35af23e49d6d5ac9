import { issuesFromZod as issuesFromSchema, type SchemaIssue } from "@orchestra/core";
import type { ConfigIssue } from "./config-error.js";
import { type JsonSchemaNode, objectBranches, orchestratorJsonSchema, schemaAt } from "./json-schema.js";

function allowedKeys(schema: JsonSchemaNode | undefined): string[] {
  if (!schema) return [];
  return objectBranches(schema).flatMap((b) => Object.keys(b.properties ?? {}));
}

/**
 * Turn zod issues into {@link ConfigIssue}s with JSON paths, the bad value, what was expected and,
 * for unknown keys and enum values, a "did you mean" suggestion. `input` is the parsed document.
 */
export function issuesFromZod(issues: readonly SchemaIssue[], input: unknown, file?: string): ConfigIssue[] {
  const root = orchestratorJsonSchema();
  return issuesFromSchema(issues, input, {
    ...(file === undefined ? {} : { file }),
    keysAt: (path) => allowedKeys(schemaAt(root, path)),
  }).map(({ kind: _kind, at: _at, params: _params, ...issue }) => issue);
}
