import type { Word, WordPart } from "unbash";

/** What a shell word is known to be before it runs. */
export interface WordValue {
  /** `static`: one known string. `glob`: a pattern the shell expands. `dynamic`: built at run time. */
  readonly kind: "static" | "glob" | "dynamic";
  /** The string (static), the pattern text (glob) or the source text (dynamic). */
  readonly value: string;
  /** The word starts with an unquoted `~` (tilde expansion applies). */
  readonly tilde: boolean;
  /** The word starts with `$HOME`/`${HOME}` (the value then starts with `$HOME`). */
  readonly home: boolean;
}

function isHomeRef(part: WordPart): boolean {
  if (part.type === "SimpleExpansion") return part.text === "$HOME";
  if (part.type === "ParameterExpansion") {
    return part.parameter === "HOME" && !part.operation && !part.prefix && !part.index;
  }
  return false;
}

/** Classify a parsed word. Quoting is removed; only literal text counts as static. */
export function wordValue(word: Word): WordValue {
  const parts = word.parts;
  if (!parts) return { kind: "static", value: word.value, tilde: word.text.startsWith("~"), home: false };
  if (parts.length === 1 && parts[0]?.type === "ProcessSubstitution") {
    // <(cmd) becomes /dev/fd/N: a pipe, never a flag or a project file. The command itself is walked.
    return { kind: "static", value: "/dev/fd/63", tilde: false, home: false };
  }
  let value = "";
  let kind = "static" as WordValue["kind"];
  let home = false;
  const visit = (list: readonly WordPart[], quoted: boolean, top: boolean): void => {
    for (let i = 0; i < list.length; i++) {
      const part = list[i] as WordPart;
      switch (part.type) {
        case "Literal":
        case "SingleQuoted":
        case "AnsiCQuoted":
          value += part.value;
          break;
        case "DoubleQuoted":
        case "LocaleString":
          visit(part.parts, true, top && i === 0 && value === "");
          break;
        case "Glob":
        case "ExtendedGlob":
        case "BraceExpansion":
          if (quoted) value += part.text;
          else {
            value += part.text;
            if (kind === "static") kind = "glob";
          }
          break;
        default:
          if (top && i === 0 && value === "" && isHomeRef(part)) {
            home = true;
            value += "$HOME";
          } else {
            kind = "dynamic";
            value += part.text;
          }
      }
    }
  };
  visit(parts, false, true);
  const first = parts[0];
  const tilde = first !== undefined && first.type === "Literal" && first.text.startsWith("~");
  if (kind === "dynamic") return { kind, value: word.text, tilde: false, home: false };
  return { kind, value, tilde, home };
}
