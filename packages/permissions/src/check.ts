import picomatch from "picomatch";
import { type CheckContext, checkContextSchema, type ToolCall } from "./context.js";
import { allowed, type Decision, Denial, denied, deny } from "./decision.js";
import { grepToolScope } from "./grep-tool.js";
import { checkUrl } from "./network.js";
import { patchPaths } from "./patch-paths.js";
import type { Access, PathPolicy } from "./paths.js";
import { compilePolicy, type Policy, pathPolicyFor } from "./policy.js";
import { analyzeShell } from "./shell/analyze.js";
import { INTERNAL_TOOLS, normalizeToolName, READ_TOOLS, REMOTE_TOOLS, WRITE_TOOLS } from "./tool-names.js";

const contextOk = new WeakSet<object>();

function validateContext(context: unknown): CheckContext {
  if (typeof context === "object" && context !== null && contextOk.has(context))
    return context as CheckContext;
  const parsed = checkContextSchema.safeParse(context);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ["context", ...(issue?.path ?? []).map(String)].join(".");
    deny(
      "context.invalid",
      `The check context is invalid at ${where}: ${issue?.message ?? "invalid"}.`,
      "a context with absolute `cwd` and `home`, `platform` and `caseInsensitiveFs`",
    );
  }
  contextOk.add(context as object);
  return context as CheckContext;
}

function record(args: unknown, tool: string): Record<string, unknown> {
  if (args === undefined || args === null) return {};
  if (typeof args !== "object" || Array.isArray(args))
    deny("call.invalid", `The arguments of \`${tool}\` are not an object.`, "an object of named arguments");
  return args as Record<string, unknown>;
}

function stringArg(args: Record<string, unknown>, key: string, tool: string, optional: false): string;
function stringArg(
  args: Record<string, unknown>,
  key: string,
  tool: string,
  optional: true,
): string | undefined;
function stringArg(
  args: Record<string, unknown>,
  key: string,
  tool: string,
  optional: boolean,
): string | undefined {
  const v = args[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== "string" || v === "")
    deny("call.invalid", `\`${tool}\` needs a non-empty string \`${key}\`.`, `a call with \`${key}\` set`);
  return v;
}

function touch(paths: PathPolicy, raw: string, access: Access, what: string): string {
  const abs = paths.absolute(raw, paths.cwd, what);
  paths.check(abs, access, raw);
  return abs;
}

/**
 * Decide one OpenCode tool call against a profile's permissions.
 *
 * Never throws: invalid permissions, context or arguments fail closed with a deny naming the fault.
 *
 * @example
 * ```ts
 * const d = check({ categories: { filesystem: "read", execution: "sandboxed" } },
 *   { tool: "bash", args: { command: "git push --force" } },
 *   { cwd: "/repo", home: "/home/me", platform: "linux", caseInsensitiveFs: false });
 * // d.decision === "deny", d.rule === "shell.not-read-only"
 * ```
 */
export function check(permissions: unknown, call: ToolCall, context: CheckContext): Decision {
  try {
    const ctx = validateContext(context);
    const compiled = compilePolicy(permissions);
    if (!compiled.ok) return denied(compiled.denial);
    return decide(compiled.policy, call, ctx, 0);
  } catch (error) {
    if (error instanceof Denial) return denied(error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      decision: "deny",
      reason: `The validator could not decide this call (${message}); denied to be safe.`,
      rule: "call.invalid",
    };
  }
}

function decide(policy: Policy, call: ToolCall, context: CheckContext, depth: number): Decision {
  if (typeof call !== "object" || call === null || typeof call.tool !== "string" || call.tool === "") {
    deny("call.invalid", "The call has no tool id.", "`{ tool, args }` as OpenCode passes it");
  }
  const tool = normalizeToolName(call.tool);
  const entry = policy.tools.get(tool);
  if (entry?.enabled === false) {
    deny(
      "tools.disabled",
      `The profile disables \`${call.tool}\`.`,
      "the tools the profile enables or its categories cover",
    );
  }
  const args = record(call.args, call.tool);
  const fs = policy.filesystem;

  if (tool === "bash") {
    if (policy.execution === "none") {
      deny(
        "execution.none",
        "`execution: none` allows no shell tool (a tool entry cannot widen its category).",
        "file tools within the filesystem level; or a profile with `execution: sandboxed`",
      );
    }
    const command = stringArg(args, "command", call.tool, false);
    const paths = pathPolicyFor(policy, context);
    const workdirRaw = stringArg(args, "workdir", call.tool, true);
    const workdir = workdirRaw === undefined ? paths.cwd : touchDir(paths, workdirRaw, fs);
    analyzeShell(
      {
        policy,
        paths,
        context,
        allowedCommands: entry?.allowedCommands,
        deniedFlags: entry?.deniedFlags ?? [],
      },
      command,
      workdir,
    );
    return allowed(
      `Shell command allowed (execution: ${policy.execution}${policy.execution === "sandboxed" ? ", runs in the sandbox" : ""}; filesystem: ${fs}; network: ${policy.network}).`,
    );
  }

  if (READ_TOOLS.has(tool)) {
    if (fs === "none")
      deny("filesystem.none", `\`${call.tool}\` reads files.`, "no file tools at all (`filesystem: none`)");
    const paths = pathPolicyFor(policy, context);
    if (tool === "skill") return allowed("Loading a skill is a read (filesystem ≥ read).");
    if (tool === "read" || tool === "lsp") {
      const p = stringArg(args, "filePath", call.tool, false);
      const abs = touch(paths, p, "read", `The \`${call.tool}\` path`);
      return allowed(`Reading ${abs} is allowed (filesystem: ${fs}).`);
    }
    const base = stringArg(args, "path", call.tool, true);
    const abs = base === undefined ? paths.cwd : touch(paths, base, "read", `The \`${call.tool}\` path`);
    if (tool === "glob") {
      const pattern = stringArg(args, "pattern", call.tool, false);
      const joined =
        pattern.startsWith("/") || pattern.startsWith("~") || pattern.startsWith("$HOME")
          ? pattern
          : `${abs}/${pattern}`;
      const scanned = picomatch.scan(joined).base;
      touch(paths, scanned === "" ? abs : scanned, "read", "The glob pattern's directory");
    }
    if (tool === "grep") {
      const include = stringArg(args, "include", call.tool, true);
      const scope = grepToolScope(paths, abs, base ?? ".", include);
      return allowed(`\`${call.tool}\` in ${scope} is allowed: no denied file beneath (filesystem: ${fs}).`);
    }
    return allowed(`\`${call.tool}\` in ${abs} is allowed (filesystem: ${fs}).`);
  }

  if (WRITE_TOOLS.has(tool)) {
    if (fs === "none")
      deny("filesystem.none", `\`${call.tool}\` writes files.`, "no file tools at all (`filesystem: none`)");
    if (fs === "read")
      deny(
        "filesystem.read-only",
        `\`${call.tool}\` writes files.`,
        "read, glob, grep and list (`filesystem: read`)",
      );
    const paths = pathPolicyFor(policy, context);
    if (tool === "apply_patch") {
      const text =
        typeof args.patchText === "string" ? args.patchText : stringArg(args, "patch", call.tool, false);
      const files = patchPaths(text);
      for (const f of files) touch(paths, f, "write", "A patched path");
      return allowed(`Patching ${files.length} file(s) is allowed (filesystem: full).`);
    }
    const p = stringArg(args, "filePath", call.tool, false);
    const abs = touch(paths, p, "write", `The \`${call.tool}\` path`);
    return allowed(`Writing ${abs} is allowed (filesystem: full).`);
  }

  if (tool === "webfetch") {
    const url = stringArg(args, "url", call.tool, false);
    checkUrl(url, policy.network, context.reservedLocalPorts ?? []);
    return allowed(`Fetching the URL is allowed (network: ${policy.network}).`);
  }

  if (REMOTE_TOOLS.has(tool)) {
    if (policy.network !== "full") {
      deny(
        policy.network === "none" ? "network.none" : "network.full-only",
        `\`${call.tool}\` queries a remote service.`,
        policy.network === "localhost" ? "`webfetch` of a localhost URL" : "no network tools",
      );
    }
    return allowed(`\`${call.tool}\` is allowed (network: full).`);
  }

  if (tool === "batch") {
    if (depth > 0) deny("batch.invalid", "A batch may not contain another batch.", "a flat batch");
    const calls = args.tool_calls;
    if (!Array.isArray(calls) || calls.length === 0)
      deny(
        "batch.invalid",
        "`batch` needs a non-empty `tool_calls` array.",
        "`{ tool_calls: [{ tool, parameters }] }`",
      );
    calls.forEach((c: unknown, i) => {
      const inner = (typeof c === "object" && c !== null ? c : {}) as Record<string, unknown>;
      if (typeof inner.tool !== "string")
        deny("batch.invalid", `Batch call #${i + 1} has no tool id.`, "`{ tool, parameters }` entries");
      try {
        decide(policy, { tool: inner.tool, args: inner.parameters ?? {} }, context, depth + 1);
      } catch (error) {
        if (!(error instanceof Denial)) throw error;
        throw new Denial(error.rule, `Batch call #${i + 1} (\`${inner.tool}\`): ${error.reason}`, "");
      }
    });
    return allowed(`All ${calls.length} batched calls are allowed.`);
  }

  if (tool === "task") {
    if (entry?.enabled !== true) {
      deny(
        "tools.task-not-enabled",
        `\`${call.tool}\` starts another agent whose calls this profile cannot bound.`,
        "enable it explicitly with `tools: { task: { enabled: true } }`, or do the work with this worker's own tools",
      );
    }
    return allowed("`task` is enabled explicitly by the profile.");
  }

  if (INTERNAL_TOOLS.has(tool)) return allowed(`\`${call.tool}\` only touches the session's own state.`);

  if (entry?.enabled === true)
    return allowed(`\`${call.tool}\` is enabled explicitly by the profile; its arguments are not checked.`);
  deny(
    "tools.uncovered",
    `No category covers \`${call.tool}\` (MCP or custom tool) and the profile does not enable it.`,
    `enable it with \`tools: { "${call.tool}": { enabled: true } }\``,
  );
}

function touchDir(paths: PathPolicy, raw: string, fs: Policy["filesystem"]): string {
  const abs = paths.absolute(raw, paths.cwd, "The `workdir`");
  if (fs !== "none") paths.check(abs, "read", raw);
  else if (!paths.readable(abs)) paths.check(abs, "read", raw);
  return abs;
}
