import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import {
  configPaths,
  type MigrationChange,
  type MigrationResult,
  migrateV02,
  parseJsonc,
  UNPLACED_KEY,
  validateConfig,
} from "@orchestra/config";
import { formatIssue, OrchestraError } from "@orchestra/core";
import { createTwoFilesPatch } from "diff";
import writeFileAtomic from "write-file-atomic";
import { EXIT } from "../exit.js";
import { BACKUP_SUFFIX } from "./migrate-backup.js";
import { crossReferenceFailure, migratedCrossReferenceIssues } from "./migrate-check.js";

/** The options of `orchestra migrate`. */
export interface MigrateOptions {
  file?: string;
  write?: boolean;
  json?: boolean;
}

/** The file to migrate: `--file`, else the project's `.opencode/orchestrator.json`, else its `orchestrator.json`. */
function defaultFile(): { file: string; global?: string } {
  const [global, root, dotOpencode] = configPaths().map((p) => p.file);
  const file = [dotOpencode, root].find((f): f is string => f !== undefined && existsSync(f));
  if (file === undefined)
    throw new OrchestraError(
      "CLI_MIGRATE_NO_FILE",
      `No orchestrator.json to migrate: neither ${dotOpencode} nor ${root} exists.`,
      { hints: ["run in the project directory, or pass --file <path to orchestrator.json>"] },
    );
  return { file, ...(global === undefined ? {} : { global }) };
}

/** The global config, parsed, for the notes on v0.3's merge by id; nothing when it is missing or unreadable. */
async function readGlobal(global: string | undefined, file: string): Promise<unknown> {
  if (global === undefined || global === file || !existsSync(global)) return undefined;
  try {
    return parseJsonc(await readFile(global, "utf8"), global);
  } catch {
    return undefined;
  }
}

function changeLine(c: MigrationChange): string {
  return `  ${c.action.padEnd(9)} ${c.path}${c.to === undefined ? "" : ` → ${c.to}`}: ${c.note}`;
}

function report(result: MigrationResult): string[] {
  const unplaced = Array.isArray(result.output[UNPLACED_KEY]) ? result.output[UNPLACED_KEY].length : 0;
  return [
    `Changes (${result.changes.length}):`,
    ...result.changes.map(changeLine),
    ...(unplaced > 0
      ? [
          "",
          `${unplaced} ${unplaced === 1 ? "key" : "keys"} could not be placed and ${unplaced === 1 ? "is" : "are"} kept under "${UNPLACED_KEY}": move each to its v0.3 place or delete it, then delete "${UNPLACED_KEY}".`,
        ]
      : []),
  ];
}

async function writeMigrated(file: string, original: string, text: string): Promise<string> {
  const backup = `${file}${BACKUP_SUFFIX}`;
  try {
    await writeFile(backup, original, { flag: "wx" });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw cause;
    throw new OrchestraError("CLI_MIGRATE_BACKUP_EXISTS", `${backup} already exists; nothing was written.`, {
      cause,
      hints: [`move ${basename(backup)} away (it holds an earlier original), then run again`],
    });
  }
  await writeFileAtomic(file, text);
  return backup;
}

/**
 * `orchestra migrate`: print the diff and the changes, or `--write` them; exit 1 when a key could not be
 * placed. A result that `config validate` would fail on a cross-reference (an `extends` or a `workers`
 * id naming no profile, an alias cycle) is refused: the errors with their JSON paths, exit 1, nothing written.
 */
export async function runMigrate(options: MigrateOptions): Promise<void> {
  const { file, global } =
    options.file === undefined ? defaultFile() : { file: options.file, global: configPaths()[0]?.file };
  const original = await readFile(file, "utf8");
  const result = migrateV02(parseJsonc(original, file), { global: await readGlobal(global, file) });
  const text = `${JSON.stringify(result.output, null, 2)}\n`;
  const unchanged = JSON.stringify(result.output) === JSON.stringify(parseJsonc(original, file));
  const again = `orchestra migrate${options.file === undefined ? "" : ` --file ${file}`} --write`;
  // A result `config validate` would fail on a cross-reference is refused whole: nothing is written.
  const crossRefs =
    result.ok && !unchanged && validateConfig(result.output, file).ok
      ? await migratedCrossReferenceIssues(file, result.output)
      : [];
  if (crossRefs.length > 0) {
    const failure = crossReferenceFailure(file, crossRefs, again);
    if (options.json) throw failure;
    const diff = createTwoFilesPatch(file, file, original, text, "v0.2", "v0.3").trimEnd();
    process.stdout.write(`${[diff, "", ...report(result)].join("\n")}\n`);
    throw failure;
  }
  let backup: string | undefined;
  if (options.write && !unchanged) backup = await writeMigrated(file, original, text);
  if (!result.ok) process.exitCode = EXIT.failure;

  if (options.json) {
    const { ok, changes, output } = result;
    process.stdout.write(`${JSON.stringify({ ok, changes, output }, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  if (unchanged) lines.push(`Nothing to change: ${file} is already a v0.3 config.`);
  else if (backup === undefined)
    lines.push(createTwoFilesPatch(file, file, original, text, "v0.2", "v0.3").trimEnd(), "");
  if (!unchanged) lines.push(...report(result));
  if (backup !== undefined) {
    lines.push("", `Wrote ${file}; the original is kept as ${backup}.`);
    const checked = validateConfig(result.output, file);
    if (checked.ok) lines.push("It passes `orchestra config validate`.");
    else lines.push(...checked.issues.map((i) => `  ${formatIssue(i)}`));
  } else if (!unchanged) {
    lines.push("", `Run \`${again}\` to apply (the original is kept as ${basename(file)}${BACKUP_SUFFIX}).`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
