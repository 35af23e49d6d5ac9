// The CLI examples of the documentation (docs-site pages and the READMEs): every fenced `sh`, `bash`,
// `shell` or `console` block whose first command is `orchestra …`. Such a block is run by
// docs-cli-examples.e2e.test.ts unless its info string marks it `not-runnable` followed by the reason,
// e.g. ```` ```sh not-runnable: needs a history of jobs ````, the same place RELEASING.md's
// `js runnable` / `sh runnable` marks go (a package README's runnable examples are run by
// readme-examples.e2e.test.ts against the packed package; they do not start with `orchestra`).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** One CLI example of the docs. */
export interface CliExample {
  /** The markdown file, relative to the repository root. */
  file: string;
  /** The 1-based line of the opening fence. */
  line: number;
  /** The commands, without `$ ` prompts and trailing `# comments`, each starting with `orchestra`. */
  commands: string[];
  /** For a `console` block: the lines each command is shown to print, by command index. */
  shown: string[][];
  /** Why the block is not runnable as written, when its info string says `not-runnable: …`. */
  notRunnable?: string;
}

const SHELL = new Set(["sh", "bash", "shell", "console"]);
const MARK = /^not-runnable:\s*(.+)$/;

/** The markdown files whose CLI examples are checked: docs-site's pages and every README. */
function docFiles(repo: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!["node_modules", "api", "dist", ".vitepress"].includes(name) && !name.startsWith("."))
          walk(full);
      } else if (name.endsWith(".md")) out.push(full);
    }
  };
  walk(join(repo, "docs-site"));
  out.push(join(repo, "README.md"));
  for (const group of ["packages", "apps"])
    for (const pkg of readdirSync(join(repo, group))) {
      const readme = join(repo, group, pkg, "README.md");
      try {
        statSync(readme);
        out.push(readme);
      } catch {
        // no README
      }
    }
  return out.map((f) => relative(repo, f)).sort();
}

/** A shell line without its trailing comment (a `#` after whitespace) and surrounding space. */
function withoutComment(line: string): string {
  return line.replace(/\s+#\s.*$/, "").trim();
}

/** The CLI examples of one markdown text. */
export function cliExamples(file: string, markdown: string): CliExample[] {
  const lines = markdown.split("\n");
  const examples: CliExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,})\s*(\S*)\s*(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, ticks = "```", lang = "", rest = ""] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !(lines[j] ?? "").trim().startsWith(ticks); j++) body.push(lines[j] ?? "");
    const start = i;
    i = j;
    if (!SHELL.has(lang)) continue;
    const commands: string[] = [];
    const shown: string[][] = [];
    for (const raw of body) {
      if (lang === "console") {
        if (raw.startsWith("$ ")) {
          commands.push(withoutComment(raw.slice(2)));
          shown.push([]);
        } else if (raw.trim() !== "") shown[shown.length - 1]?.push(raw.trimEnd());
      } else {
        const command = raw.trim().startsWith("#") ? "" : withoutComment(raw);
        if (command !== "") commands.push(command);
      }
    }
    if (!/^orchestra(\s|$)/.test(commands[0] ?? "")) continue;
    const mark = MARK.exec(rest.trim());
    examples.push({
      file,
      line: start + 1,
      commands,
      shown,
      ...(mark?.[1] ? { notRunnable: mark[1].trim() } : {}),
    });
  }
  return examples;
}

/** Every CLI example of the docs. */
export function allCliExamples(repo: string): CliExample[] {
  return docFiles(repo).flatMap((file) => cliExamples(file, readFileSync(join(repo, file), "utf8")));
}

/**
 * A command's arguments as a POSIX shell splits them (single and double quotes, backslash escapes);
 * the examples use no variables, globs or pipes.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let started = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === "\\" && i + 1 < command.length) {
      word += command[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = "";
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in: ${command}`);
  if (started) words.push(word);
  return words;
}
