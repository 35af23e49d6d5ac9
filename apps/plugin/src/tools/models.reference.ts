import type { ToolReferences } from "./reference.js";

/** Reference entries of the profile and model tools (models.ts). */
export const MODEL_TOOL_REFERENCE: ToolReferences = {
  list_profiles: {
    category: "profiles",
    returns:
      '({ id: string; name: string; kind: "process" | "session"; purpose: string; whenToUse: string; model: string; fallbackModels?: string[]; supportsVision?: boolean; modelOverride?: string; resolvedModel?: string; resolveError?: string } | { id: string; error: string })[]. Text: per profile its kind, configured model → the model a spawn gets now, purpose and when to use it.',
    example: {
      args: {},
      output: [
        "vision (process worker): model auto:vision, then auto → scripted/scripted-model",
        "  purpose: Reads images (screenshots, photos, diagrams, charts, mockups, scans) and turns them into precise text.",
        "  when to use: Use when the task depends on what an image shows: text to extract (OCR), an error in a screenshot, a UI to compare with a mockup, a diagram or chart to explain. Not for writing code.",
        "docs (process worker): model auto:docs, then auto → scripted/scripted-model",
        "  purpose: Researches official documentation, API references, changelogs and the web, and drafts documentation, with sources.",
        "  when to use: Use to look up how a library, framework, API or tool works, what changed between versions, or what the recommended practice is; and to draft READMEs, guides and migration notes. Not for editing code.",
        "coder (process worker): model auto:code, then auto → scripted/scripted-model",
        "  purpose: Implements features, fixes bugs, refactors and writes tests, leaving the build green.",
        "  when to use: Use for any change to code: new features, endpoints and functions, bug fixes, failing tests or builds, refactors, renames, dependency bumps, type errors. It edits files and runs the project's build and tests in a sandbox.",
        "architect (process worker): model auto:reasoning, then auto:code, auto → scripted/scripted-model",
        "  purpose: Designs systems and reviews code: architecture, trade-offs, plans, security and code-quality reviews. Read-only.",
        "  when to use: Use before or after implementation: to design a system, schema or API, weigh options, plan a migration or break a feature into steps, and to review a PR or module for security, correctness and design. It never edits files.",
        "explorer (session worker): model auto:fast, then auto → scripted/scripted-model",
        "  purpose: Finds things in the codebase fast: files, definitions, usages, call sites and project structure. Read-only.",
        "  when to use: Use for quick questions about this repository: where something is defined or configured, who calls or imports it, which files handle a concern, what the project structure or stack is. It answers with paths and line numbers.",
        "memory (session worker): model auto:fast, then auto → scripted/scripted-model",
        "  purpose: Keeps the team's long-term memory: records decisions, facts and notes, and recalls them later.",
        "  when to use: Use to remember something for later (a decision, a convention, a fact about the project or team), to recall what was decided or discussed before, to link related notes, or to forget an outdated one.",
      ].join("\n"),
    },
    errors: { RESOLVER_CATALOG_UNAVAILABLE: "the provider catalog could not be read (shown per profile)" },
  },
  set_profile_model: {
    category: "profiles",
    returns:
      "{ profile: string; model: string; resolvedModel: string; provenance: string; previous: string | null; runningWorkersOnOtherModels: { id: string; model: string }[] }. Text: the model later workers get and the one before.",
    example: {
      args: { profile: "docs", model: "scripted/scripted-model" },
      output: "New docs workers will use scripted/scripted-model; it was the profile's own auto:docs.",
    },
    errors: {
      PROFILE_NOT_FOUND: "no profile has that id",
      RESOLVER_UNKNOWN_MODEL: "the model is not in the catalog (the profile keeps its model)",
      RESOLVER_CAPABILITY_UNMET: "the model lacks what the profile needs, e.g. image input",
      RESOLVER_PROVIDER_NOT_CONNECTED: "the model's provider is not connected",
    },
  },
  reset_profile_models: {
    category: "profiles",
    returns:
      "{ cleared: { profile: string; model: string }[] }. Text: the profiles back on their configured model.",
    example: { args: {}, output: "Back to their configured models: docs (was scripted/scripted-model)." },
    errors: {},
  },
  list_models: {
    category: "models",
    returns:
      "{ total: number; models: { model: string; provider: string; connected: boolean; capabilities: { vision: boolean; reasoning: boolean; toolCall: boolean; contextWindow?: number }; cost?: { input: number; output: number } }[] }. Text: how many match, then a table of model, capabilities, context and price.",
    example: {
      args: { tools: true, limit: 1 },
      output: [
        "1 model match. Prices are USD per 1M tokens (input / output).",
        "model                    capabilities                           context  price in/out",
        "-----------------------  -------------------------------------  -------  ------------",
        "scripted/scripted-model  vision, tools, reasoning, attachments  128k     $1 / $2",
      ].join("\n"),
    },
    errors: {
      RESOLVER_CATALOG_UNAVAILABLE: "the provider catalog could not be read",
      RESOLVER_NO_CONNECTED_PROVIDERS: "no provider is connected",
    },
  },
  resolve_model: {
    category: "models",
    returns:
      "{ ok: true; model: string; provenance: string; capabilities: object; cost?: object; reasons: string[]; rejected: object[] } | { ok: false; code: string; message: string; alternatives: string[] }. Text: the model and why, or the error and real alternatives.",
    example: {
      args: { ref: "scripted/scripted-model" },
      output: [
        "scripted/scripted-model  (explicit)",
        "capabilities: vision, tools, reasoning, attachments; context 128k; max output 8k",
        "cost: $1 in / $2 out per 1M tokens ($0.001 / $0.002 per 1k)",
        "why:",
        '  - explicit reference "scripted/scripted-model": provider "scripted", model "scripted-model"',
        '  - provider "scripted" is connected',
        "  - meets the requirements (vision, tools, reasoning, 128k context, $1/$2 per 1M in/out)",
      ].join("\n"),
    },
    errors: {
      RESOLVER_UNKNOWN_MODEL: "no such provider/model (the answer lists close ones)",
      RESOLVER_UNKNOWN_TAG: "auto:<tag> names no tag",
      RESOLVER_INVALID_REFERENCE: "the reference is not provider/model, an alias or an auto tag",
      RESOLVER_CAPABILITY_UNMET: "no candidate has the required capability (e.g. vision)",
      PROFILE_NOT_FOUND: "`profile` names no profile",
    },
  },
};
