// Builds the tool reference (docs-site/reference/tools.md and one page per category under
// docs-site/reference/tools/) from the tools' own descriptions, zod argument schemas and reference
// metadata (src/tools/*.reference.ts). `pnpm --filter @orchestra/plugin run docs` writes it;
// tool-reference.test.ts fails when it is stale or incomplete.
import { type ToolDefinition, tool } from "@opencode-ai/plugin";
import { ASK_PEER_TOOL } from "@orchestra/runtime/worker";
import type { SessionPolicy } from "../src/enforcement.js";
import { askPeerTools } from "../src/tools/ask-peer.js";
import { type ToolDeps, toolsByGroup } from "../src/tools/index.js";
import { TOOL_CATEGORIES, type ToolCategory, type ToolReference } from "../src/tools/reference.js";
import { TOOL_REFERENCES } from "../src/tools/references.js";

interface ArgSchema {
  type?: string;
  enum?: unknown[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: ArgSchema;
}

/** Path of the generated index, relative to the repository root. */
const TOOL_REFERENCE = "docs-site/reference/tools.md";

/** Path of a category's page, relative to the repository root. */
function categoryPage(category: ToolCategory): string {
  return `docs-site/reference/tools/${category}.md`;
}

const TITLES: Record<ToolCategory, string> = {
  workers: "Worker tools",
  profiles: "Profile tools",
  models: "Model tools",
  memory: "Memory tools",
  workflows: "Workflow tools",
  diagnostics: "Diagnostic tools",
};

const INTROS: Record<ToolCategory, string> = {
  workers:
    "Start, ask, steer, cancel and stop workers, follow their jobs (every ask is a job of the user's journal), route a conversation to a worker (passthrough), merge a worktree worker's branch, and, inside a worker, ask a peer.",
  profiles: "Inspect the worker profiles and change which model later workers of a profile get.",
  models: "List the models the user's providers offer and explain how a model reference resolves.",
  memory: "Remember facts, decisions and summaries across sessions, link them, search them and forget them.",
  workflows: "Run multi-step workflows (plan → implement → review) across several workers.",
  diagnostics:
    "See what the orchestrator is doing, what it spent, how it is configured, and why something fails.",
};

/** Every tool definition: the plugin's tools and the worker-side `ask_peer`, built without dependencies. */
export function toolDefinitions(): Record<string, ToolDefinition> {
  const groups = toolsByGroup(new Proxy({}, { get: () => undefined }) as ToolDeps);
  const policy = {
    ok: true,
    effective: { tools: { [ASK_PEER_TOOL]: { enabled: true } } },
  } as unknown as SessionPolicy;
  return Object.assign({}, ...Object.values(groups), askPeerTools(policy, undefined));
}

/** Every tool name. */
export function toolNames(): string[] {
  return Object.keys(toolDefinitions()).sort();
}

/** The sentences of a description that say when to use the tool (`Use …`). */
export function whenToUse(def: ToolDefinition, ref: ToolReference | undefined): string {
  const sentences = def.description.split(/(?<=[.!?])\s+|\n+/).filter((s) => /^(- )?Use\b/.test(s.trim()));
  return ref?.whenToUse ?? sentences.map((s) => s.replace(/^- /, "").trim()).join(" ");
}

/** A parameter's default, as its zod schema states it: `.default()`, else its description's `(default …)`. */
function defaultOf(s: ArgSchema): string | undefined {
  if (s.default !== undefined) return `\`${JSON.stringify(s.default)}\``;
  const text = s.description ?? "";
  const stated = /\(default:? ([^)]+)\)/.exec(text);
  if (stated?.[1]) return stated[1];
  const named = /"?([\w.-]+)"? \((?:[^)]*\bthe )?default\b[^)]*\)/.exec(text);
  return named?.[1] ? `\`${JSON.stringify(named[1])}\`` : undefined;
}

function typeOf(s: ArgSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (s.type === "array") return `array of ${s.items ? typeOf(s.items) : "any"}`;
  return s.type ?? "any";
}

/** A parameter's bounds, from its zod schema: minimum, maximum, lengths, item counts. */
function boundsOf(s: ArgSchema): string {
  const bounds = [
    s.minimum === undefined ? "" : `≥ ${s.minimum}`,
    s.maximum === undefined ? "" : `≤ ${s.maximum}`,
    s.minLength === undefined ? "" : `length ≥ ${s.minLength}`,
    s.maxLength === undefined ? "" : `length ≤ ${s.maxLength}`,
    s.minItems === undefined ? "" : `≥ ${s.minItems} items`,
    s.maxItems === undefined ? "" : `≤ ${s.maxItems} items`,
    s.items ? boundsOf(s.items).replace(/^(.+)$/, "each $1") : "",
  ].filter(Boolean);
  return bounds.join(", ");
}

/**
 * Prose as markdown text: `<` and `>` outside code spans become entities, so a placeholder such as
 * `auto:<tag>` or `orchestra/<id>` shows as written on GitHub (which drops unknown tags) and in the site
 * (where Vue would read it as an unclosed element).
 */
function prose(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
    .join("");
}

function cell(text: string): string {
  return prose(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The JSON schema of a tool's arguments. */
export function argSchema(def: ToolDefinition): {
  properties: Record<string, ArgSchema>;
  required: string[];
} {
  const schema = tool.schema.toJSONSchema(tool.schema.object(def.args)) as {
    properties?: Record<string, ArgSchema>;
    required?: string[];
  };
  return { properties: schema.properties ?? {}, required: schema.required ?? [] };
}

function toolSection(name: string, def: ToolDefinition, ref: ToolReference): string[] {
  const { properties, required } = argSchema(def);
  const lines = [`## <a id="${name}"></a>\`${name}\``, "", prose(def.description), ""];
  lines.push(`**When to use.** ${prose(whenToUse(def, ref))}`, "");
  const props = Object.entries(properties);
  if (props.length === 0) lines.push("**Parameters.** None.", "");
  else {
    lines.push(
      "**Parameters.**",
      "",
      "| parameter | type | required | default | bounds | description |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const [arg, s] of props)
      lines.push(
        `| \`${arg}\` | ${typeOf(s)} | ${required.includes(arg) ? "yes" : "no"} | ${cell(defaultOf(s) ?? "—")} | ${cell(boundsOf(s) || "—")} | ${cell(s.description ?? "")} |`,
      );
    lines.push("");
  }
  lines.push(`**Returns.** ${prose(ref.returns)}`, "");
  lines.push(
    "**Example.**",
    "",
    "```json",
    JSON.stringify({ tool: name, args: ref.example.args }),
    "```",
    "",
    "```text",
    ref.example.output,
    "```",
    "",
  );
  const errors = Object.entries(ref.errors);
  if (errors.length === 0)
    lines.push("**Errors.** No coded error: the tool answers even with nothing to show.", "");
  else {
    lines.push("**Errors.**", "", "| code | when |", "| --- | --- |");
    for (const [code, when] of errors) lines.push(`| \`${code}\` | ${cell(when)} |`);
    lines.push("");
  }
  return lines;
}

const GENERATED =
  "<!-- Generated by `pnpm --filter @orchestra/plugin run docs` from the tool definitions and src/tools/*.reference.ts. Do not edit by hand. -->";

const CONVENTIONS = [
  'Every tool except `ask_peer` takes `format`: `"text"` (the default) for a readable answer or `"json"` for one JSON',
  "document (the shape under **Returns**). Errors come back as `[CODE] message` followed by `hint:` lines that say",
  "what to do next; the codes are stable.",
];

/** The generated pages, by path relative to the repository root. */
export function toolReferencePages(): Record<string, string> {
  const defs = toolDefinitions();
  const byCategory = new Map<ToolCategory, string[]>(TOOL_CATEGORIES.map((c) => [c, []]));
  for (const name of Object.keys(defs).sort()) {
    const ref = TOOL_REFERENCES[name];
    if (!ref)
      throw new Error(`tool ${name} has no reference entry: add it to its src/tools/<module>.reference.ts`);
    byCategory.get(ref.category)?.push(name);
  }
  const index = [
    "# Tool reference",
    "",
    GENERATED,
    "",
    `The Open Orchestra plugin registers ${Object.keys(defs).length - 1} tools in the orchestrator's OpenCode, and`,
    "`ask_peer` in a worker whose profile enables it. Each is exercised end to end in a real OpenCode by the plugin's",
    "test suite. Each page gives, per tool: its description, when to use it, its parameters (types, defaults and",
    "bounds from the tool's schema), what it returns, one example call with its answer, and its error codes.",
    "",
    ...CONVENTIONS,
    "",
  ];
  const pages: Record<string, string> = {};
  for (const category of TOOL_CATEGORIES) {
    const names = byCategory.get(category) ?? [];
    index.push(`## [${TITLES[category]}](tools/${category}.md)`, "", INTROS[category], "");
    const page = [`# ${TITLES[category]}`, "", GENERATED, "", INTROS[category], "", ...CONVENTIONS, ""];
    for (const name of names) {
      const def = defs[name] as ToolDefinition;
      const ref = TOOL_REFERENCES[name] as ToolReference;
      index.push(
        `### \`${name}\``,
        "",
        `${cell(whenToUse(def, ref))} [Reference](tools/${category}.md#${name}).`,
        "",
      );
      page.push(...toolSection(name, def, ref));
    }
    pages[categoryPage(category)] = `${page.join("\n").trimEnd()}\n`;
  }
  pages[TOOL_REFERENCE] = `${index.join("\n").trimEnd()}\n`;
  return pages;
}
