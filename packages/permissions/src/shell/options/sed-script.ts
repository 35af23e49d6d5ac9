/** A file or program a sed script touches by itself. */
interface SedEffect {
  /** `read`: `r`/`R`; `write`: `w`/`W`/`s///w`; `run`: `e`/`s///e`. */
  readonly kind: "read" | "write" | "run";
  /** The file name, or the command text of `e` (empty: the pattern space is run). */
  readonly target: string;
  /** The sed command as written (for messages). */
  readonly command: string;
}

/** The result of {@link scanSedScript}. */
export type SedScan =
  | { readonly ok: true; readonly effects: readonly SedEffect[] }
  | { readonly ok: false; readonly error: string };

const SIMPLE = new Set(["=", "d", "D", "g", "G", "h", "H", "n", "N", "p", "P", "x", "z", "F", "}"]);
const NUMBERED = new Set(["l", "L", "q", "Q"]);
const LABELLED = new Set(["b", "t", "T", ":", "v"]);

class SedSyntaxError extends Error {}

/**
 * Classify a GNU sed 4.9 script (the texts of every `-e`, joined by newlines, or the script
 * operand) by parsing it as sed does: addresses (`N`, `$`, `first~step`, `/re/I`, `\cREc`,
 * `addr,+N`, `addr,~N`, `!`), then the command. It reports every command that reads a file
 * (`r`, `R`), writes one (`w`, `W`, the `w` flag of `s`) or runs a program (`e`, the `e` flag of
 * `s`). Source: the GNU sed manual, "sed scripts" and "Commands" (sed 4.9). A script that does not
 * parse is not classified (`ok: false`).
 */
export function scanSedScript(script: string): SedScan {
  const effects: SedEffect[] = [];
  let i = 0;
  const n = script.length;
  const fail = (what: string): never => {
    throw new SedSyntaxError(`${what} at offset ${i}`);
  };
  const blanks = (): void => {
    while (i < n && (script[i] === " " || script[i] === "\t")) i++;
  };
  const toEol = (): string => {
    const start = i;
    while (i < n && script[i] !== "\n") i++;
    return script.slice(start, i);
  };
  const delimited = (delim: string): void => {
    while (i < n) {
      const c = script[i];
      if (c === "\\") i += 2;
      else if (c === delim) {
        i++;
        return;
      } else if (c === "\n") fail("a newline inside a regular expression");
      else i++;
    }
    fail("an unterminated regular expression or replacement");
  };
  const regexDelimiter = (): string => {
    const d = script[i];
    if (d === undefined || d === "\n" || d === "\\") fail("a missing delimiter");
    i++;
    return d as string;
  };
  const address = (second: boolean): boolean => {
    const c = script[i];
    if (c === undefined) return false;
    if (/[0-9]/.test(c) || (second && (c === "+" || c === "~"))) {
      if (c === "+" || c === "~") i++;
      const start = i;
      while (i < n && /[0-9]/.test(script[i] as string)) i++;
      if (i === start) fail("a malformed line address");
      if (!second && script[i] === "~") {
        i++;
        while (i < n && /[0-9]/.test(script[i] as string)) i++;
      }
      return true;
    }
    if (c === "$") {
      i++;
      return true;
    }
    if (c === "/" || c === "\\") {
      if (c === "\\") i++;
      delimited(regexDelimiter());
      while (script[i] === "I" || script[i] === "M") i++;
      return true;
    }
    return false;
  };
  const fileArgument = (command: string, kind: SedEffect["kind"]): void => {
    blanks();
    const target = toEol();
    if (target === "" && kind !== "run") fail(`\`${command}\` without a file name`);
    effects.push({ kind, target, command: `${command} ${target}`.trim() });
  };
  try {
    while (i < n) {
      const c0 = script[i] as string;
      if (c0 === " " || c0 === "\t" || c0 === "\n" || c0 === ";") {
        i++;
        continue;
      }
      if (address(false)) {
        blanks();
        if (script[i] === ",") {
          i++;
          blanks();
          if (!address(true)) fail("a missing second address");
        }
      }
      blanks();
      while (script[i] === "!") {
        i++;
        blanks();
      }
      const cmd = script[i];
      if (cmd === undefined) fail("a missing command");
      i++;
      if (cmd === "#") {
        toEol();
        continue;
      }
      if (cmd === "{") continue;
      if (SIMPLE.has(cmd as string)) {
        // nothing to read
      } else if (NUMBERED.has(cmd as string)) {
        blanks();
        while (i < n && /[0-9]/.test(script[i] as string)) i++;
      } else if (LABELLED.has(cmd as string)) {
        blanks();
        while (i < n && script[i] !== ";" && script[i] !== "\n") i++;
        continue;
      } else if (cmd === "a" || cmd === "i" || cmd === "c") {
        blanks();
        while (i < n && script[i] !== "\n") i += script[i] === "\\" ? 2 : 1;
        continue;
      } else if (cmd === "r" || cmd === "R") {
        fileArgument(cmd, "read");
        continue;
      } else if (cmd === "w" || cmd === "W") {
        fileArgument(cmd, "write");
        continue;
      } else if (cmd === "e") {
        fileArgument("e", "run");
        continue;
      } else if (cmd === "s") {
        const d = regexDelimiter();
        delimited(d);
        delimited(d);
        for (;;) {
          const f = script[i];
          if (f !== undefined && /[gpiImM0-9]/.test(f)) i++;
          else if (f === "e") {
            i++;
            effects.push({ kind: "run", target: "", command: "s///e" });
          } else if (f === "w") {
            i++;
            fileArgument("s///w", "write");
            break;
          } else break;
        }
      } else if (cmd === "y") {
        const d = regexDelimiter();
        delimited(d);
        delimited(d);
      } else {
        fail(`the unknown command \`${cmd}\``);
      }
      blanks();
      const after = script[i];
      if (after !== undefined && after !== ";" && after !== "\n" && after !== "}" && after !== "#")
        fail(`extra characters after \`${cmd}\``);
    }
  } catch (error) {
    if (error instanceof SedSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
  return { ok: true, effects };
}
