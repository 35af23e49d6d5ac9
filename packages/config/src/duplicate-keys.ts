import { formatPath, type PathSegment } from "@orchestra/core";
import { visit } from "jsonc-parser";
import type { ConfigIssue } from "./config-error.js";

/** One object or array being walked: the keys seen so far, or the next index. */
type Frame = { kind: "object"; keys: Map<string, number> } | { kind: "array"; index: number };

/**
 * Keys written twice in the same object of a JSON(C) document. JSON parsers keep the last one
 * silently, so the earlier value is lost without a word; each repeat is returned as a warning with
 * its JSON path and line.
 */
export function duplicateKeys(text: string, file?: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const path: PathSegment[] = [];
  const frames: Frame[] = [];
  let pendingKey: string | undefined;
  const lineOf = (offset: number) => text.slice(0, offset).split("\n").length;
  // The segment of the value that starts now: the property just read, or the array's next index.
  const enter = () => {
    const top = frames.at(-1);
    if (top?.kind === "array") path.push(top.index++);
    else if (pendingKey !== undefined) path.push(pendingKey);
    pendingKey = undefined;
  };
  const leave = () => {
    if (frames.length > 0) path.pop();
  };
  visit(
    text,
    {
      onObjectBegin: () => {
        if (frames.length > 0) enter();
        frames.push({ kind: "object", keys: new Map() });
      },
      onObjectEnd: () => {
        frames.pop();
        leave();
      },
      onArrayBegin: () => {
        if (frames.length > 0) enter();
        frames.push({ kind: "array", index: 0 });
      },
      onArrayEnd: () => {
        frames.pop();
        leave();
      },
      onObjectProperty: (key, offset) => {
        const top = frames.at(-1);
        if (top?.kind === "object") {
          const first = top.keys.get(key);
          if (first === undefined) top.keys.set(key, lineOf(offset));
          else
            issues.push({
              ...(file === undefined ? {} : { file }),
              path: formatPath([...path, key]),
              problem: `duplicate key: the value on line ${lineOf(offset)} replaces the one on line ${first}`,
              expected: "each key once per object",
            });
        }
        pendingKey = key;
      },
      onLiteralValue: () => {
        const top = frames.at(-1);
        if (top?.kind === "array") top.index++;
        pendingKey = undefined;
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return issues;
}
