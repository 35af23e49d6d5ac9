import { describe, expect, it } from "vitest";
import { scanSedScript } from "./sed-script.js";

const effects = (script: string) => {
  const r = scanSedScript(script);
  if (!r.ok) throw new Error(r.error);
  return r.effects.map((e) => `${e.kind}:${e.target}`);
};

describe("scanSedScript", () => {
  it.each([
    ["1,$w out", ["write:out"]],
    ["/a/,/b/ W out", ["write:out"]],
    ["0~3!w out", ["write:out"]],
    ["1,+2w x; p", ["write:x; p"]],
    ["s/a/b/w out", ["write:out"]],
    ["s,a,b,gpw out", ["write:out"]],
    ["s/a/b/e", ["run:"]],
    ["$e id", ["run:id"]],
    ["e", ["run:"]],
    ["1r /etc/passwd", ["read:/etc/passwd"]],
    ["R in\np", ["read:in"]],
    ["\\%x%I,$ { s/a/b/ ; w o\n}", ["write:o"]],
    ["1{e id\n}", ["run:id"]],
  ])("%j → %j", (script, expected) => {
    expect(effects(script)).toEqual(expected);
  });
  it.each([
    "1,20p",
    "s/a/b/g; /x/d",
    ":a;N;$!ba;s/\\n/ /g",
    "y/abc/xyz/",
    "1i\\\nhello",
    "a text with w and e inside",
    "# comment with w x\np",
    "s/w/e/2",
    "q5",
    "/e/,/w/{p;d}",
  ])("%j touches nothing", (script) => {
    expect(effects(script)).toEqual([]);
  });
  it.each(["s/a/b", "k", "1,", "s/a/b/ x", "w", "y/a/"])("%j does not parse", (script) => {
    expect(scanSedScript(script).ok).toBe(false);
  });
});
