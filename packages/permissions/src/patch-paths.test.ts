import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { check } from "./check.js";
import { Denial } from "./decision.js";
import { parsePatch, patchPaths } from "./patch-paths.js";
import { ctx, profiles } from "./test-fixtures.js";

/** The paths, or the denial rule. */
function outcome(text: string): string[] | string {
  try {
    return patchPaths(text);
  } catch (error) {
    if (error instanceof Denial) return error.rule;
    throw error;
  }
}

const wrap = (...body: string[]) => ["*** Begin Patch", ...body, "*** End Patch"].join("\n");

describe("parsePatch: OpenCode 1.18.33's own parser cases", () => {
  it("reads an add, a delete, several hunks and a move", () => {
    expect(parsePatch(wrap("*** Add File: test.txt", "+Hello World"))).toEqual([
      { type: "add", path: "test.txt" },
    ]);
    expect(parsePatch(wrap("*** Delete File: old.txt"))).toEqual([{ type: "delete", path: "old.txt" }]);
    expect(
      parsePatch(
        wrap("*** Add File: new.txt", "+x", "*** Update File: existing.txt", "@@", " a", "-b", "+c"),
      ),
    ).toEqual([
      { type: "add", path: "new.txt" },
      { type: "update", path: "existing.txt" },
    ]);
    expect(
      parsePatch(wrap("*** Update File: old-name.txt", "*** Move to: new-name.txt", "@@", "-a", "+b")),
    ).toEqual([{ type: "update", path: "old-name.txt", movePath: "new-name.txt" }]);
  });

  it("refuses a text that is not a patch", () => {
    expect(outcome("This is not a valid patch")).toBe("patch.unparsable");
    expect(outcome("*** Add File: x\n+y")).toBe("patch.unparsable");
    expect(outcome("*** End Patch\n*** Add File: x\n*** Begin Patch")).toBe("patch.unparsable");
  });
});

describe("patchPaths: every spelling OpenCode tolerates", () => {
  const cases: [name: string, text: string, paths: string[]][] = [
    [
      "no space after the colon",
      wrap("*** Add File:.opencode/plugin/evil.js", "+x"),
      [".opencode/plugin/evil.js"],
    ],
    ["tabs and spaces around the path", wrap("*** Add File:\t  a.ts \t", "+x"), ["a.ts"]],
    [
      "no-space update and move",
      wrap("*** Update File:a.ts", "*** Move to:opencode.json", "@@", "-a", "+b"),
      ["a.ts", "opencode.json"],
    ],
    ["no-space delete", wrap("*** Delete File:orchestrator.json"), ["orchestrator.json"]],
    ["CRLF line endings", wrap("*** Add File: a.ts\r", "+x\r").replaceAll("\n", "\r\n"), ["a.ts"]],
    ["indented markers", "  *** Begin Patch  \n*** Add File: a.ts\n+x\n   *** End Patch", ["a.ts"]],
    ["text around the markers", `Here is the patch:\n${wrap("*** Add File: a.ts", "+x")}\nDone.`, ["a.ts"]],
    ["a quoted heredoc", `<<'EOF'\n${wrap("*** Add File: a.ts", "+x")}\nEOF`, ["a.ts"]],
    [
      "cat and a double-quoted heredoc",
      `cat <<"PATCH"\n${wrap("*** Add File:b.ts", "+x")}\nPATCH\n`,
      ["b.ts"],
    ],
    ["a bare heredoc", `<<EOF\n${wrap("*** Delete File: c.ts")}\nEOF`, ["c.ts"]],
    [
      "content lines that look like headers",
      wrap("*** Add File: a.md", "+*** Add File: b.md", "+--- x", "++++ y"),
      ["a.md"],
    ],
    [
      "a header right after add content",
      wrap("*** Add File: a.ts", "+x", "*** Add File:.git/config", "+y"),
      ["a.ts", ".git/config"],
    ],
    [
      "a header ending an update chunk",
      wrap("*** Update File: a.ts", "@@", "-x", "*** Delete File:.npmrc"),
      ["a.ts", ".npmrc"],
    ],
    ["end of file marker", wrap("*** Update File: a.ts", "@@", "-x", "+y", "*** End of File"), ["a.ts"]],
    ["non-breaking space before the path", wrap("*** Add File:\u00a0bunfig.toml", "+x"), ["bunfig.toml"]],
    ["a path with spaces inside", wrap("*** Add File: my file.ts", "+x"), ["my file.ts"]],
    ["a literal ~, never expanded by OpenCode", wrap("*** Add File: ~/.bashrc", "+x"), ["./~/.bashrc"]],
    ["a literal $HOME", wrap("*** Add File: $HOME/x", "+x"), ["./$HOME/x"]],
    ["an absolute path", wrap("*** Add File: /etc/cron.d/x", "+x"), ["/etc/cron.d/x"]],
  ];
  it.each(cases)("%s", (_name, text, paths) => {
    expect(outcome(text)).toEqual(paths);
  });
});

describe("patchPaths: refuses what it cannot be sure of", () => {
  const cases: [name: string, text: string][] = [
    ["a header with leading whitespace", wrap("*** Add File: a.ts", "+x", " *** Add File: .opencode/x.js")],
    ["a header without a space after ***", wrap("***Add File: .opencode/x.js", "+x")],
    ["a lower-case header", wrap("*** add file: .opencode/x.js", "+x")],
    ["full-width asterisks", wrap("＊＊＊ Add File: .opencode/x.js", "+x")],
    ["an empty path", wrap("*** Add File:   ", "+x", "*** Add File: a.ts", "+y")],
    ["an empty move target", wrap("*** Update File: a.ts", "*** Move to: ", "@@", "-a", "+b")],
    ["a move without an update", wrap("*** Add File: a.ts", "+x", "*** Move to: opencode.json")],
    [
      "a header after the end marker",
      `${wrap("*** Add File: a.ts", "+x")}\n*** Add File: .opencode/x.js\n+y`,
    ],
    ["two begin markers", `*** Begin Patch\n${wrap("*** Add File: a.ts", "+x")}`],
    ["two end markers", `${wrap("*** Add File: a.ts", "+x")}\n*** End Patch`],
    ["a rename header", wrap("*** Rename File: a.ts", "*** Add File: b.ts")],
    ["no file at all", wrap("just text")],
    ["an empty patch", wrap()],
  ];
  it.each(cases)("%s", (_name, text) => {
    expect(outcome(text)).toBe("patch.unparsable");
  });

  it("check() denies with the rule and says what to write instead", () => {
    const d = check(
      profiles.coder,
      { tool: "apply_patch", args: { patchText: wrap("***Add File: x", "+y") } },
      ctx,
    );
    expect(d.rule).toBe("patch.unparsable");
    expect(d.reason).toContain("Allowed instead");
  });

  it("check() denies every no-space control-file header as a control file", () => {
    for (const target of [
      ".opencode/plugin/evil.js",
      "orchestrator.json",
      ".git/commondir",
      ".git/hooks/pre-commit",
    ]) {
      for (const header of [`*** Add File:${target}`, `*** Delete File:${target}`]) {
        const d = check(
          profiles.coder,
          { tool: "apply_patch", args: { patchText: wrap(header, "+x") } },
          ctx,
        );
        expect(d.rule, header).toBe("paths.control-file");
      }
      const move = wrap("*** Update File:src/a.ts", `*** Move to:${target}`, "@@", "-a", "+b");
      expect(check(profiles.coder, { tool: "apply_patch", args: { patchText: move } }, ctx).rule).toBe(
        "paths.control-file",
      );
    }
  });

  it("check() resolves ~ in a patch literally, as OpenCode writes it", () => {
    const d = check(
      profiles.coder,
      { tool: "apply_patch", args: { patchText: wrap("*** Add File: ~/.ssh/x", "+y") } },
      ctx,
    );
    expect(d.rule, d.reason).toBe("allowed");
    expect(d.reason).toContain("1 file");
  });
});

/**
 * An independent model of what OpenCode 1.18.33 writes, written line by line rather than as its loop:
 * every line strictly between the first Begin and the first End marker that starts with a header prefix
 * and has a non-empty trimmed path is a header (content stops at the next `***` line, so no header
 * line is ever swallowed); an Update header's next line, when it starts with `*** Move to:` and has a
 * non-empty target, adds the target. Returns `undefined` when OpenCode would reject the text.
 */
function opencodeWrites(patchText: string): string[] | undefined {
  const trimmed = patchText.trim();
  const m = /^(?:cat\s+)?<<['"]?(\w+)['"]?\s*\n([\s\S]*?)\n\1\s*$/.exec(trimmed);
  const lines = (m?.[2] ?? trimmed).split("\n");
  const begin = lines.findIndex((l) => l.trim() === "*** Begin Patch");
  const end = lines.findIndex((l) => l.trim() === "*** End Patch");
  if (begin === -1 || end === -1 || begin >= end) return undefined;
  const out: string[] = [];
  for (let k = begin + 1; k < end; k++) {
    const line = lines[k] as string;
    for (const prefix of ["*** Add File:", "*** Delete File:", "*** Update File:"]) {
      if (!line.startsWith(prefix) || line.slice(prefix.length).trim() === "") continue;
      out.push(line.slice(prefix.length).trim());
      const next = lines[k + 1] ?? "";
      if (prefix === "*** Update File:" && next.startsWith("*** Move to:") && next.slice(12).trim() !== "") {
        out.push(next.slice(12).trim());
      }
    }
  }
  return out;
}

/** What `patchPaths` hands the checker for a path OpenCode resolves literally. */
const asChecked = (p: string) => (p.startsWith("~") || p.startsWith("$") ? `./${p}` : p);

describe("property: every path OpenCode would write is reported, or the patch is denied", () => {
  const pathArb = fc.oneof(
    fc.constantFrom(
      "src/a.ts",
      ".opencode/plugin/evil.js",
      "opencode.json",
      "orchestrator.json",
      ".git/commondir",
      ".git/hooks/pre-commit",
      "../outside/x",
      "/etc/passwd",
      "~/.ssh/authorized_keys",
      "$HOME/x",
      "a b.ts",
    ),
    fc.stringMatching(/^[a-z./~$ _-]{1,12}$/),
  );
  const prefixArb = fc.constantFrom(
    "*** Add File:",
    "*** Delete File:",
    "*** Update File:",
    "*** Move to:",
    "***Add File:",
    " *** Add File:",
    "*** add file:",
    "*** Add  File:",
    "＊＊＊ Add File:",
    "*** Begin Patch",
    "*** End Patch",
    "*** End of File",
    "***",
  );
  const spaceArb = fc.constantFrom("", " ", "  ", "\t", "\u00a0", " \r");
  const headerArb = fc
    .tuple(prefixArb, spaceArb, pathArb, spaceArb)
    .map(([prefix, before, path, after]) => `${prefix}${before}${path}${after}`);
  const bodyArb = fc.constantFrom("+x", "-y", " z", "@@", "@@ ctx", "", "+*** Add File: q", " *** x", "x");
  const lineArb = fc.oneof({ weight: 3, arbitrary: headerArb }, { weight: 2, arbitrary: bodyArb });
  const patchArb = fc
    .tuple(
      fc.array(lineArb, { maxLength: 12 }),
      fc.boolean(),
      fc.boolean(),
      fc.constantFrom("none", "quoted", "cat"),
      fc.array(lineArb, { maxLength: 2 }),
    )
    .map(([body, crlf, indentMarkers, heredoc, trailer]) => {
      const pad = indentMarkers ? "  " : "";
      let text = [`${pad}*** Begin Patch`, ...body, `*** End Patch${pad}`, ...trailer].join("\n");
      if (crlf) text = text.replaceAll("\n", "\r\n");
      if (heredoc === "quoted") text = `<<'EOF'\n${text}\nEOF`;
      if (heredoc === "cat") text = `cat <<EOF\n${text}\nEOF`;
      return text;
    });

  it("holds for generated patch texts", () => {
    fc.assert(
      fc.property(patchArb, (text) => {
        const got = outcome(text);
        const truth = opencodeWrites(text);
        if (typeof got === "string") {
          expect(got).toBe("patch.unparsable");
          return;
        }
        expect(truth).toBeDefined();
        expect(got).toEqual(truth?.map(asChecked));
      }),
      { numRuns: 3000 },
    );
  });

  it("reports exactly what OpenCode writes for every tolerated spelling, never denying it", () => {
    const path = fc.oneof(
      fc.constantFrom(
        ".opencode/plugin/evil.js",
        "orchestrator.json",
        ".git/config",
        "../x",
        "/tmp/y",
        "~/z",
      ),
      fc.stringMatching(/^[a-z._-][a-z./~$ _-]{0,10}[a-z._-]$/),
    );
    const ws = fc.constantFrom("", " ", "\t", "  \t", "\u00a0", "\u3000");
    const op = fc
      .tuple(fc.constantFrom("Add", "Delete", "Update", "Move"), ws, path, ws, path, fc.boolean())
      .map(([kind, before, p, after, target, cr]) => {
        const eol = cr ? "\r" : "";
        if (kind === "Add") return [`*** Add File:${before}${p}${after}${eol}`, `+content${eol}`];
        if (kind === "Delete") return [`*** Delete File:${before}${p}${after}${eol}`];
        const head = `*** Update File:${before}${p}${after}${eol}`;
        const move = kind === "Move" ? [`*** Move to:${after}${target}${before}${eol}`] : [];
        return [head, ...move, `@@${eol}`, `-a${eol}`, `+b${eol}`];
      });
    const text = fc
      .tuple(fc.array(op, { minLength: 1, maxLength: 6 }), fc.constantFrom("none", "quoted", "cat"))
      .map(([ops, heredoc]) => {
        const patch = wrap(...ops.flat());
        return heredoc === "none" ? patch : `${heredoc === "cat" ? "cat " : ""}<<'P'\n${patch}\nP`;
      });
    fc.assert(
      fc.property(text, (t) => {
        const got = outcome(t);
        expect(Array.isArray(got), String(got)).toBe(true);
        expect(got).toEqual(opencodeWrites(t)?.map(asChecked));
      }),
      { numRuns: 2000 },
    );
  });

  it("never denies a patch written in the canonical spelling", () => {
    const canonical = fc
      .array(
        fc.tuple(
          fc.constantFrom("Add", "Delete", "Update"),
          fc.constantFrom("src/a.ts", "b/c.md", "x y.txt"),
        ),
        { minLength: 1, maxLength: 5 },
      )
      .map((ops) =>
        wrap(
          ...ops.flatMap(([kind, path]) =>
            kind === "Add"
              ? [`*** Add File: ${path}`, "+line", "+*** not a header"]
              : kind === "Delete"
                ? [`*** Delete File: ${path}`]
                : [
                    `*** Update File: ${path}`,
                    "@@ ctx",
                    " *** a markdown rule",
                    "-a",
                    "+b",
                    "*** End of File",
                  ],
          ),
        ),
      );
    fc.assert(
      fc.property(canonical, (text) => {
        expect(Array.isArray(outcome(text))).toBe(true);
      }),
    );
  });
});
