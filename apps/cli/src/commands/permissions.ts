import { readFile } from "node:fs/promises";
import { OrchestraError } from "@orchestra/errors";
import { type CheckContext, check, type Decision, type RuleId, type ToolCall } from "@orchestra/permissions";
import type { Command } from "commander";
import { EXIT } from "../exit.js";

/** One output line of `orchestra permissions check`. */
export interface CheckOutput {
  /** The input line's `id`, or its 1-based line number. */
  id: string | number;
  decision: Decision["decision"];
  reason: string;
  rule: RuleId;
}

/** Resolves a profile id against the line's `profiles` map to the permissions to check with. */
export type ProfileResolver = (
  profiles: Record<string, unknown>,
  id: string,
) => { ok: true; permissions: unknown } | { ok: false; reason: string };

/**
 * The stand-in resolver until `@orchestra/profiles` is wired in: a profile with neither `extends`
 * nor `compose` is used as written; one that uses them fails closed.
 */
export const resolveStandaloneProfile: ProfileResolver = (profiles, id) => {
  if (!Object.hasOwn(profiles, id)) {
    return { ok: false, reason: `The profile \`${id}\` is not defined in \`profiles\`.` };
  }
  const def = profiles[id];
  if (typeof def !== "object" || def === null || Array.isArray(def)) {
    return { ok: false, reason: `The profile \`${id}\` is not an object.` };
  }
  const d = def as Record<string, unknown>;
  if (d.extends !== undefined || d.compose !== undefined) {
    return {
      ok: false,
      reason: `The profile \`${id}\` uses extends/compose, which this command cannot resolve yet; every call is denied. Inline the inherited permissions to dry-run it.`,
    };
  }
  return { ok: true, permissions: d.permissions ?? {} };
};

function deny(id: string | number, rule: RuleId, reason: string): CheckOutput {
  return { id, decision: "deny", reason, rule };
}

/** Decide one JSONL input line. Never throws: malformed lines are denied with a reason. */
export function checkLine(
  line: string,
  lineNo: number,
  resolve: ProfileResolver = resolveStandaloneProfile,
): CheckOutput {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (error) {
    return deny(lineNo, "call.invalid", `Line ${lineNo} is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return deny(lineNo, "call.invalid", `Line ${lineNo} is not a JSON object.`);
  }
  const o = input as Record<string, unknown>;
  const id = typeof o.id === "string" || typeof o.id === "number" ? o.id : lineNo;
  if (typeof o.profile !== "string")
    return deny(id, "profile.unresolved", "`profile` must be a profile id (string).");
  if (typeof o.profiles !== "object" || o.profiles === null || Array.isArray(o.profiles)) {
    return deny(id, "profile.unresolved", "`profiles` must be an object of profile definitions keyed by id.");
  }
  const resolved = resolve(o.profiles as Record<string, unknown>, o.profile);
  if (!resolved.ok) return deny(id, "profile.unresolved", resolved.reason);
  const d = check(resolved.permissions, o.call as ToolCall, o.context as CheckContext);
  return { id, decision: d.decision, reason: d.reason, rule: d.rule };
}

async function readInput(file: string): Promise<string> {
  if (file === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new OrchestraError("PERMISSIONS_INPUT_UNREADABLE", `Cannot read ${file}.`, {
      cause,
      hints: ["Pass an existing JSONL file, or `-` to read standard input."],
    });
  }
}

/** `orchestra permissions check --input FILE.jsonl`. */
export function registerPermissionsCommand(program: Command): void {
  const permissions = program
    .command("permissions")
    .description("Dry-run profile permissions against tool calls.");
  permissions
    .command("check")
    .requiredOption(
      "--input <file>",
      "JSONL file of { id?, profiles, profile, call, context } lines, or - for stdin",
    )
    .option("--strict", "exit 1 when any call is denied")
    .description(
      "Decide each tool call with the permissions validator; prints one JSON line { id, decision, reason, rule } per input line.",
    )
    .action(async (opts: { input: string; strict?: boolean }) => {
      const text = await readInput(opts.input);
      let denied = 0;
      const lines = text.split("\n");
      for (let i = 0; i < lines.length; i++) {
        const line = (lines[i] as string).trim();
        if (line === "") continue;
        const out = checkLine(line, i + 1);
        if (out.decision === "deny") denied++;
        process.stdout.write(`${JSON.stringify(out)}\n`);
      }
      if (opts.strict && denied > 0) process.exitCode = EXIT.failure;
    });
}
