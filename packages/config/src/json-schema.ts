import { profileSchema } from "@orchestra/profiles";
import { z } from "zod";
import { orchestratorConfigSchema } from "./schema.js";

/** A JSON Schema node, as far as this package reads it. */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  "x-default"?: unknown;
  examples?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: boolean | JsonSchemaNode;
  propertyNames?: JsonSchemaNode;
  required?: string[];
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  title?: string;
  $ref?: string;
  definitions?: Record<string, JsonSchemaNode>;
  [key: string]: unknown;
}

let cached: JsonSchemaNode | undefined;

/** Replace every subtree equal to `shape` by a `$ref` to `#/definitions/<name>`. */
function extractDefinition(node: unknown, shape: string, ref: string): unknown {
  if (Array.isArray(node)) return node.map((n) => extractDefinition(n, shape, ref));
  if (node === null || typeof node !== "object") return node;
  if (JSON.stringify(node) === shape) return { $ref: ref };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, extractDefinition(v, shape, ref)]));
}

/**
 * The JSON Schema (draft-07) of `orchestrator.json`, generated from the zod schema with
 * `io: "input"`: what a file may contain, with defaults, bounds, descriptions and examples.
 * The profile object, used by both `profiles` and `workers`, is shared as `#/definitions/Profile`.
 */
export function orchestratorJsonSchema(): JsonSchemaNode {
  if (!cached) {
    const options = { io: "input", target: "draft-7" } as const;
    const { $schema: _, ...profile } = z.toJSONSchema(profileSchema, options);
    const root = z.toJSONSchema(orchestratorConfigSchema, options);
    const extracted = extractDefinition(
      root,
      JSON.stringify(profile),
      "#/definitions/Profile",
    ) as JsonSchemaNode;
    cached = { ...extracted, definitions: { Profile: profile as JsonSchemaNode } };
  }
  return cached;
}

/** Follow a local `$ref` (`#/definitions/X`) from the root schema. */
export function deref(node: JsonSchemaNode, root: JsonSchemaNode = orchestratorJsonSchema()): JsonSchemaNode {
  const name = node.$ref?.replace("#/definitions/", "");
  return name === undefined ? node : (root.definitions?.[name] ?? node);
}

/** The object branches of a node (the node itself, or its `anyOf` members that are objects). */
export function objectBranches(node: JsonSchemaNode): JsonSchemaNode[] {
  const resolved = deref(node);
  if (resolved.anyOf) return resolved.anyOf.flatMap(objectBranches);
  return resolved.type === "object" ? [resolved] : [];
}

/** Descend one path segment (a key or an array index) into a schema node. */
function childSchema(node: JsonSchemaNode, segment: string | number): JsonSchemaNode | undefined {
  const resolved = deref(node);
  const candidates = (resolved.anyOf ?? [resolved]).map((b) => deref(b));
  for (const branch of candidates) {
    if (typeof segment === "number") {
      if (branch.items) return branch.items;
      continue;
    }
    const prop = branch.properties?.[segment];
    if (prop) return prop;
    if (typeof branch.additionalProperties === "object") return branch.additionalProperties;
  }
  return undefined;
}

/** The node at `path`, or undefined when the path leaves the schema. */
export function schemaAt(
  root: JsonSchemaNode,
  path: readonly (string | number)[],
): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    node = childSchema(node, segment);
  }
  return node;
}
