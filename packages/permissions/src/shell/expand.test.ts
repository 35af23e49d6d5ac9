import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { check } from "../check.js";
import { braceExpand, ExpansionTooLarge, expandWord } from "./expand.js";

describe("braceExpand matches bash", () => {
  it.each([
    ["a{b,c}d", ["abd", "acd"]],
    ["{a,b}{c,d}", ["ac", "ad", "bc", "bd"]],
    ["a{b,c{d,e}}f", ["abf", "acdf", "acef"]],
    ["{1..3}", ["1", "2", "3"]],
    ["{3..1}", ["3", "2", "1"]],
    ["{01..3}", ["01", "02", "03"]],
    ["{1..7..3}", ["1", "4", "7"]],
    ["{a..e..2}", ["a", "c", "e"]],
    ["{-1..1}", ["-1", "0", "1"]],
    ["x{,}", ["x", "x"]],
    ["{a}", ["{a}"]],
    ["{}", ["{}"]],
    ["{a}{b,c}", ["{a}b", "{a}c"]],
    ["{a,b", ["{a,b"]],
    ["a}b", ["a}b"]],
    ["{1..a}", ["{1..a}"]],
    ["/o/{s.txt,README.md}", ["/o/s.txt", "/o/README.md"]],
  ])("%s", (word, expected) => {
    expect(braceExpand(word)).toEqual(expected);
    const bash = execFileSync("bash", ["-c", `printf '%s\\0' ${word}`], { encoding: "utf8" });
    expect(bash.split("\0").slice(0, -1)).toEqual(expected);
  });

  it("gives up past the limit instead of allocating", () => {
    expect(() => braceExpand("{1..100000}")).toThrow(ExpansionTooLarge);
    expect(() => braceExpand("{a,b}".repeat(14))).toThrow(ExpansionTooLarge);
  });
});

// --- Property tests against real bash -----------------------------------------------------------

const NAMES = ["a", "b", "ab", ".e", ".env", "a.k", "1", "2", "e"];
const TOKENS = ["a", "b", "e", ".", "k", "*", "?", "[ab]", "[!a]", "/", "{a,b}", "{.e,b}", "{1..2}", ".en?"];

const treeArb = fc.uniqueArray(
  fc.tuple(fc.constantFrom(...NAMES), fc.option(fc.constantFrom(...NAMES), { nil: undefined })),
  { minLength: 1, maxLength: 10, selector: ([a, b]) => `${a}/${b ?? ""}` },
);
const wordArb = fc
  .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 5 })
  .map((t) => t.join(""))
  .filter((w) => !w.startsWith("/") && !w.startsWith("-"));

function buildTree(entries: readonly [string, string | undefined][]): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "orchestra-glob-")));
  const dirs = new Set(entries.filter(([, b]) => b !== undefined).map(([a]) => a));
  for (const [a, b] of entries) {
    if (b === undefined) {
      if (!dirs.has(a)) writeFileSync(join(root, a), a);
      continue;
    }
    mkdirSync(join(root, a), { recursive: true });
    mkdirSync(dirname(join(root, a, b)), { recursive: true });
    writeFileSync(join(root, a, b), b);
  }
  return root;
}

/** What bash itself passes to a command for each word (globskipdots on, as bash 5.2 does by default). */
function bashWords(cwd: string, words: readonly string[]): string[][] {
  const script = words.map((w) => `printf '%s\\0' ${w}; printf '\\1\\0'`).join("\n");
  const out = execFileSync("bash", ["-c", script], {
    cwd,
    encoding: "utf8",
    env: { LC_ALL: "C", PATH: process.env.PATH },
  });
  const groups: string[][] = [[]];
  for (const item of out.split("\0").slice(0, -1)) {
    if (item === "\u0001") groups.push([]);
    else (groups[groups.length - 1] as string[]).push(item);
  }
  return groups.slice(0, words.length);
}

describe("expandWord against bash (fast-check)", () => {
  it("expands every generated word to exactly the words bash passes", () => {
    fc.assert(
      fc.property(treeArb, fc.array(wordArb, { minLength: 1, maxLength: 20 }), (entries, words) => {
        const root = buildTree(entries);
        try {
          const expected = bashWords(root, words);
          words.forEach((w, i) => {
            const mine = [...expandWord(w, root, { nocase: false }).words].sort();
            expect(mine, `word ${w}`).toEqual([...(expected[i] ?? [])].sort());
          });
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

describe("check() denies whenever bash's expansion reaches a denied file (fast-check)", () => {
  const deniedArb = fc.uniqueArray(fc.constantFrom("**/.env", "**/*.k", "b/**", "**/.e", "**/2"), {
    minLength: 1,
    maxLength: 3,
  });
  it("cat <word> is denied when a word bash produces names a denied file", () => {
    fc.assert(
      fc.property(
        treeArb,
        deniedArb,
        fc.array(wordArb, { minLength: 1, maxLength: 10 }),
        (entries, denied, words) => {
          const root = buildTree(entries);
          try {
            const permissions = {
              categories: { filesystem: "read", execution: "sandboxed", network: "none" },
              paths: { denied },
            } as const;
            const ctx = { cwd: root, home: "/nonexistent-home", platform: "linux", caseInsensitiveFs: false };
            const matchers = denied.map((g) => picomatch(join(root, g), { dot: true }));
            const expected = bashWords(root, words);
            words.forEach((w, i) => {
              const hits = (expected[i] ?? []).filter((p) => matchers.some((m) => m(join(root, p))));
              const d = check(permissions, { tool: "bash", args: { command: `cat ${w}` } }, ctx);
              if (hits.length > 0)
                expect(d.decision, `cat ${w} reaches ${hits.join(", ")}: ${d.reason}`).toBe("deny");
            });
          } finally {
            rmSync(root, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
