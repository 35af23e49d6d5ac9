import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { showValue } from "@orchestra/core";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { BUILTIN_PROFILE_IDS } from "./builtins.js";
import type { ProfileIssue } from "./profile-error.js";
import type { LoadedProfile, ProfileLoadResult } from "./profile-sources.js";
import { profileIdSchema } from "./schema.js";
import { validateProfileDefinition } from "./validate.js";

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/;

/** OpenCode's agent modes. A markdown file whose front-matter sets one is OpenCode's own agent. */
const OPENCODE_AGENT_MODES = ["primary", "subagent", "all"] as const;

/**
 * Front-matter keys that OpenCode's own formats have and orchestra profiles do not: its agent format
 * (`AgentConfig` of `@opencode-ai/sdk`: `permission`, `top_p`, `variant`, `prompt`, `disable`, `hidden`,
 * `options`, `color`, `steps`, `maxSteps`) and its skill format (`license`, `compatibility`,
 * `metadata`). The keys both have (`name`, `description`, `model`, `temperature`, `tools`) say nothing.
 */
const OPENCODE_ONLY_KEYS: ReadonlySet<string> = new Set([
  "permission",
  "top_p",
  "variant",
  "prompt",
  "disable",
  "hidden",
  "options",
  "color",
  "steps",
  "maxSteps",
  "license",
  "compatibility",
  "metadata",
]);

/** The hint for a file that may be meant for OpenCode, not Orchestra: how to leave it to OpenCode. */
function opencodeHint(file: string): string {
  return file.endsWith("SKILL.md")
    ? "if this file is an OpenCode skill, not an orchestra profile, add `compatibility: opencode` to its front-matter and Orchestra leaves it alone"
    : "if this file is an OpenCode agent, not an orchestra profile, add `mode: all` (OpenCode's default) to its front-matter and Orchestra leaves it alone";
}

/**
 * Whether a markdown file is meant for OpenCode, not Orchestra: its front-matter sets `mode` to one of
 * {@link OPENCODE_AGENT_MODES}, or has one of {@link OPENCODE_ONLY_KEYS}. A front-matter that does not
 * parse is not OpenCode's (it is reported as a broken profile).
 *
 * This is the one rule that separates the two kinds of files in `.opencode/agent(s)/` and
 * `.opencode/skill(s)/`: orchestra profiles never have these keys, OpenCode's agents and skills that
 * have one are OpenCode's, and {@link loadProfileFiles} skips them.
 */
function isOpencodeFile(text: string): boolean {
  const match = FRONT_MATTER.exec(text);
  if (!match) return false;
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? "");
  } catch {
    return false;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return false;
  const keys = data as Record<string, unknown>;
  return (
    OPENCODE_AGENT_MODES.some((m) => m === keys.mode) ||
    Object.keys(keys).some((k) => OPENCODE_ONLY_KEYS.has(k))
  );
}

/**
 * Parse a markdown profile: YAML front-matter between `---` lines, then the system prompt.
 *
 * The front-matter holds profile fields, except that `name` is the profile id and must equal `id`
 * (the id the file's path gives). `description` (OpenCode's skill/agent key) is read as `purpose`.
 * The body, trimmed, is `systemPrompt`. The result is validated with the profile schema, and issues
 * name the file: `file: path: what is wrong (got X, expected Y)`.
 */
export function parseProfileMarkdown(text: string, id: string, file: string): LoadedProfile {
  const source = { kind: "file" as const, file };
  const fail = (issue: Omit<ProfileIssue, "file">): LoadedProfile => ({
    id,
    source,
    issues: [{ file, ...issue }],
  });
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    return fail({
      code: "PROFILE_FRONTMATTER",
      path: "(root)",
      problem: "no YAML front-matter",
      expected: `the file to start with a "---" line, the fields (at least name: ${id}), and a closing "---" line`,
    });
  }
  let data: unknown;
  try {
    data = parseYaml(match[1] ?? "");
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` at front-matter line ${error.linePos[0].line}`
        : "";
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error);
    return fail({
      code: "PROFILE_FRONTMATTER",
      path: "(root)",
      problem: `YAML does not parse${where}: ${reason}`,
    });
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return fail({
      code: "PROFILE_FRONTMATTER",
      path: "(root)",
      problem: "front-matter is not a mapping",
      got: showValue(data),
      expected: "key: value lines",
    });
  }
  const { name, description, id: ownId, ...rest } = data as Record<string, unknown>;
  const issues: ProfileIssue[] = [];
  if (name !== id) {
    issues.push({
      code: "PROFILE_NAME_MISMATCH",
      file,
      path: "name",
      problem:
        name === undefined
          ? `missing; it must equal the id the file path gives (${opencodeHint(file)})`
          : "must equal the id the file path gives",
      got: showValue(name),
      expected: JSON.stringify(id),
    });
  }
  if (ownId !== undefined && ownId !== id) {
    issues.push({
      code: "PROFILE_NAME_MISMATCH",
      file,
      path: "id",
      problem: "must equal the id the file path gives (or be left out)",
      got: showValue(ownId),
      expected: JSON.stringify(id),
    });
  }
  if (description !== undefined && rest.purpose !== undefined) {
    issues.push({
      code: "PROFILE_INVALID",
      file,
      path: "description",
      problem: "`description` and `purpose` say the same thing; keep one",
      got: showValue(description),
    });
  }
  if (rest.systemPrompt !== undefined) {
    issues.push({
      code: "PROFILE_INVALID",
      file,
      path: "systemPrompt",
      problem: "the system prompt is the markdown body; remove this key",
      got: showValue(rest.systemPrompt),
    });
  }
  const tools = rest.tools;
  const booleanTools =
    typeof tools === "object" &&
    tools !== null &&
    !Array.isArray(tools) &&
    Object.values(tools).every((v) => typeof v === "boolean");
  const inherits =
    rest.extends !== undefined || rest.compose !== undefined || BUILTIN_PROFILE_IDS.includes(id);
  if (booleanTools && rest.permissions === undefined && !inherits) {
    // A profile's permissions default to none, so an on/off map alone (v0.2 style) would deny every call.
    issues.push({
      code: "PROFILE_INVALID",
      file,
      path: "tools",
      problem: "a boolean `tools` map without `permissions`: this profile would deny every call",
      got: showValue(tools),
      expected: "`permissions` (e.g. categories: { filesystem: read }), or `extends` of a built-in profile",
    });
  }
  const body = text.slice(match[0].length).trim();
  const candidate: Record<string, unknown> = {
    id,
    ...rest,
    ...(description === undefined || rest.purpose !== undefined ? {} : { purpose: description }),
    ...(body === "" || rest.systemPrompt !== undefined ? {} : { systemPrompt: body }),
  };
  const validation = validateProfileDefinition(candidate, { file });
  if (!validation.ok) issues.push(...validation.issues);
  if (issues.length || !validation.ok) return { id, source, issues };
  return { id, source, definition: validation.profile, issues: [] };
}

async function entries(dir: string): Promise<{ name: string; isDirectory: boolean; isFile: boolean }[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    return list
      .map((d) => ({ name: d.name, isDirectory: d.isDirectory(), isFile: d.isFile() || d.isSymbolicLink() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === "ENOENT" ||
      (error as NodeJS.ErrnoException).code === "ENOTDIR"
    )
      return [];
    throw error;
  }
}

/** The directories under `.opencode/` that OpenCode reads skills from (`{skill,skills}/…/SKILL.md`). */
const SKILL_DIRS = ["skill", "skills"] as const;
/** The directories under `.opencode/` that OpenCode reads agents from (`{agent,agents}/…/*.md`). */
const AGENT_DIRS = ["agent", "agents"] as const;

/**
 * Load markdown profiles of a project: `.opencode/skill(s)/<id>/SKILL.md` and `.opencode/agent(s)/<id>.md`
 * (OpenCode reads both spellings; the same id in both is a duplicate, which fails closed).
 * File paths in the result (and in issues) are relative to `projectDir`. A file that cannot be read or
 * is invalid becomes an invalid profile that fails closed; a missing directory is not an error.
 * Files meant for OpenCode (front-matter `mode: primary | subagent | all`, or a key only OpenCode's
 * agent or skill format has, e.g. `permission` or `license`) are skipped: neither profiles nor errors.
 */
export async function loadProfileFiles(projectDir: string): Promise<ProfileLoadResult> {
  const found: { id: string; rel: string }[] = [];
  for (const skills of SKILL_DIRS)
    for (const d of await entries(join(projectDir, ".opencode", skills)))
      if (d.isDirectory) found.push({ id: d.name, rel: `.opencode/${skills}/${d.name}/SKILL.md` });
  for (const agents of AGENT_DIRS)
    for (const f of await entries(join(projectDir, ".opencode", agents)))
      if (f.isFile && f.name.endsWith(".md"))
        found.push({ id: f.name.slice(0, -3), rel: `.opencode/${agents}/${f.name}` });

  const profiles: LoadedProfile[] = [];
  const issues: ProfileIssue[] = [];
  for (const { id, rel } of found) {
    let text: string;
    try {
      text = await readFile(join(projectDir, rel), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && rel.endsWith("/SKILL.md")) continue; // a skill dir without SKILL.md
      issues.push({
        code: "PROFILE_READ",
        file: rel,
        path: "(root)",
        problem: `cannot read the file (${code ?? String(error)})`,
      });
      continue;
    }
    if (isOpencodeFile(text)) continue;
    if (!profileIdSchema.safeParse(id).success) {
      issues.push({
        code: "PROFILE_INVALID",
        file: rel,
        path: "(root)",
        problem: "the file path does not give a valid profile id",
        got: showValue(id),
        expected: "lower-case letters, digits and dashes, starting with a letter",
      });
      continue;
    }
    profiles.push(parseProfileMarkdown(text, id, rel));
  }
  return { profiles, enabled: [], issues };
}
