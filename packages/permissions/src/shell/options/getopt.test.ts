import { describe, expect, it } from "vitest";
import { literalArg } from "../arg.js";
import { parseArgs } from "./getopt.js";
import { optionTable, resolveLong } from "./table.js";

const T = optionTable("t", "test", "gnu", {
  "-o --output": "=FILE write",
  "-i --in-place": "[=SUFFIX] writes",
  "-v --verbose": "",
  "-c! -C= --context": "[=NUM]",
  "--outline": "",
});
const G = optionTable("g", "test", "git", {
  "-n --no-verify": "",
  "-f --force": "",
  "--force-with-lease": "[=X]",
});
const argv = (...xs: string[]) => xs.map(literalArg);

describe("parseArgs (getopt_long)", () => {
  it("reads attached, separate and `=` values", () => {
    const p = parseArgs(T, argv("-ox", "-o", "y", "--output=z", "--output", "w", "a"));
    expect(p.options.map((o) => o.value?.value)).toEqual(["x", "y", "z", "w"]);
    expect(p.operands.map((a) => a.v.value)).toEqual(["a"]);
  });
  it("splits bundles and gives the rest of the bundle to a value option", () => {
    const p = parseArgs(T, argv("-vo/root/x"));
    expect(p.options.map((o) => [o.name, o.value?.value])).toEqual([
      ["-v", undefined],
      ["-o", "/root/x"],
    ]);
  });
  it("takes an optional value only when attached", () => {
    const p = parseArgs(T, argv("-i", "f", "-i.bak", "--in-place", "g", "--in-place=.b"));
    expect(p.options.map((o) => o.value?.value)).toEqual([undefined, ".bak", undefined, ".b"]);
    expect(p.operands.map((a) => a.v.value)).toEqual(["f", "g"]);
  });
  it("resolves unambiguous prefixes and reports ambiguous ones", () => {
    expect(parseArgs(T, argv("--outp=x")).options[0]?.name).toBe("--output");
    expect(parseArgs(T, argv("--in")).options[0]?.name).toBe("--in-place");
    expect(parseArgs(T, argv("--out=x")).problems[0]?.kind).toBe("ambiguous");
    expect(resolveLong(T, "outl")).toMatchObject({ kind: "found", name: "outline" });
  });
  it("lets spellings of one option differ in arity", () => {
    const p = parseArgs(T, argv("-c", "a", "-C", "3", "--context", "b"));
    expect(p.operands.map((a) => a.v.value)).toEqual(["a", "b"]);
    expect(p.options.map((o) => o.value?.value)).toEqual([undefined, "3", undefined]);
  });
  it("ends options at `--`, and treats `-` as an operand", () => {
    const p = parseArgs(T, argv("-", "--", "-o", "x"));
    expect(p.options).toEqual([]);
    expect(p.operands.map((a) => a.v.value)).toEqual(["-", "-o", "x"]);
  });
  it("reports unknown options, missing values and values given to flags", () => {
    expect(parseArgs(T, argv("-q")).problems[0]?.kind).toBe("unknown");
    expect(parseArgs(T, argv("--nope")).problems[0]?.kind).toBe("unknown");
    expect(parseArgs(T, argv("-o")).problems[0]?.kind).toBe("malformed");
    expect(parseArgs(T, argv("--verbose=1")).problems[0]?.kind).toBe("malformed");
  });
  it("reports arguments built at run time and globs that could expand to an option", () => {
    const dynamic = { v: { kind: "dynamic", value: "$X", tilde: false, home: false }, text: "$X" } as const;
    const glob = { v: { kind: "glob", value: "*", tilde: false, home: false }, text: "*" } as const;
    const local = { v: { kind: "glob", value: "./*", tilde: false, home: false }, text: "./*" } as const;
    expect(parseArgs(T, [dynamic]).problems[0]?.kind).toBe("runtime");
    expect(parseArgs(T, [glob]).problems[0]?.kind).toBe("runtime");
    expect(parseArgs(T, [local]).problems).toEqual([]);
  });
});

describe("git style", () => {
  it("knows --no-x and the positive form of --no-x options, as negations", () => {
    const p = parseArgs(G, argv("--verify", "--no-force"));
    expect(p.options.map((o) => [o.name, o.negated])).toEqual([
      ["--verify", true],
      ["--no-force", true],
    ]);
    expect(parseArgs(G, argv("-fn")).options.map((o) => o.spec.names)).toEqual([
      ["-f", "--force"],
      ["-n", "--no-verify"],
    ]);
  });
  it("reads --end-of-options like --", () => {
    expect(parseArgs(G, argv("--end-of-options", "-f")).operands.map((a) => a.v.value)).toEqual(["-f"]);
  });
});
