import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../check.js";
import type { RuleId } from "../rules.js";
import type { Permissions } from "../schema.js";
import { makeTree, type TestTree } from "../test-tree.js";

let t: TestTree;
let restricted: Permissions;
let coder: Permissions;

beforeAll(() => {
  t = makeTree(
    {
      ".env": "SECRET_ENV=1",
      "config/server.key": "SECRET_KEY",
      "config/app.json": "{}",
      "src/a.ts": "// TODO",
      "src/lib/b.ts": "// TODO",
      "README.md": "readme",
      "docs/guide.md": "guide",
    },
    { "secret.txt": "SECRET_OUTSIDE", "dir/x.txt": "x" },
    { "src/out-link": "../../outside", "src/env-link": "../.env" },
  );
  const denied = ["**/.env", "**/*.key", `${t.outside}/**`];
  restricted = {
    categories: { filesystem: "read", execution: "sandboxed", network: "none" },
    tools: { bash: { enabled: true, constraints: { allowedCommands: ["ls", "cat", "grep", "git", "rg"] } } },
    paths: { denied },
  };
  coder = { categories: { filesystem: "full", execution: "full", network: "full" }, paths: { denied } };
});
afterAll(() => t.remove());

const decide = (p: () => Permissions, command: string) => () =>
  check(p(), { tool: "bash", args: { command } }, t.ctx);

type Row = [command: string, rule: RuleId];

function rows(name: string, profile: () => Permissions, list: readonly Row[]): void {
  describe(name, () => {
    it.each(list)("%s → %s", (command, rule) => {
      const d = decide(profile, command)();
      expect(d.rule, d.reason).toBe(rule);
    });
  });
}

rows("globs and braces are expanded like bash and every word is checked", () => restricted, [
  ["cat .en? config/*.key", "paths.denied"],
  ["cat .en*", "paths.denied"],
  ["cat .e{n,x}v", "paths.denied"],
  ["cat config/*", "paths.denied"],
  ["cat */*.key", "paths.denied"],
  ["cat c?nfig/server.[k]ey", "paths.denied"],
  ["cat {README.md,.env}", "paths.denied"],
  ["cat README.{md,env} .{env,x}", "paths.denied"],
  ["cat {1..2}.md .[e]nv", "paths.denied"],
  ["cat {docs,config}/*", "paths.denied"],
  ["cat *.md", "allowed"],
  ["cat * */*.md", "allowed"],
  ["ls *", "allowed"],
  ["cat {README,docs/guide}.md", "allowed"],
  ["cat src/*.ts src/*/*.ts", "allowed"],
  ["cat nothing-matches-*.md", "allowed"],
  ["grep TODO src/*.ts", "allowed"],
  ["cat {a,'b c'}", "paths.unresolvable"],
  ["cat {1..100000}", "paths.too-broad"],
  ["cat {a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", "paths.too-broad"],
]);

describe("braces reaching outside the project", () => {
  it("denies `cat {<outside>/secret.txt,README.md}`", () => {
    const d = decide(() => restricted, `cat {${t.outside}/secret.txt,README.md}`)();
    expect(d.rule, d.reason).toBe("paths.denied");
    expect(d.reason).toContain("secret.txt");
  });
  it("denies `cat {../outside/secret.txt,README.md}` through `..`", () => {
    const d = decide(() => restricted, "cat {../outside/secret.txt,README.md}")();
    expect(d.rule, d.reason).toBe("paths.denied");
  });
  it("denies a brace that hides a command substitution", () => {
    const d = decide(() => coder, "cat {a,$(echo /etc/passwd)}")();
    expect(d.decision, d.reason).toBe("deny");
  });
  it("denies `~` produced by brace expansion when it leaves the project", () => {
    const d = decide(() => restricted, "cat {~,x}/secret")();
    expect(d.rule, d.reason).toBe("paths.not-allowed");
  });
  it("denies a pattern that could match a denied name even when no such file exists", () => {
    const d = decide(() => restricted, "cat docs/.en?")();
    expect(d.rule, d.reason).toBe("paths.denied");
    expect(d.reason).toContain("could match `.env`");
  });
});

rows("recursive search reads every file beneath its directories", () => restricted, [
  ["grep -r . .", "paths.denied"],
  ["grep -r SECRET", "paths.denied"],
  ["grep -R x", "paths.denied"],
  ["grep x -r", "paths.denied"],
  ["grep -rn x src config", "paths.denied"],
  ["grep --recursive x config", "paths.denied"],
  ["grep --rec x config", "paths.denied"],
  ["grep -d recurse x config", "paths.denied"],
  ["grep --directories=rec x config", "paths.denied"],
  ["grep -r -m 5 x", "paths.denied"],
  ["grep -r x c*", "paths.denied"],
  ["grep -r x .*", "paths.denied"],
  ["grep -r -e x -- config", "paths.denied"],
  ["rg x", "paths.denied"],
  ["rg -e x config", "paths.denied"],
  ["rg x -g '*.ts' config", "paths.denied"],
  ["git grep -e . --untracked", "paths.denied"],
  ["git grep -e . --no-index", "paths.denied"],
  ["git grep x -- config", "paths.denied"],
  ["git grep x -- '*.ts'", "paths.denied"],
  ["git grep x HEAD", "paths.unresolvable"],
  ["git grep --cached x", "paths.unresolvable"],
  ["grep -r TODO src", "allowed"],
  ["grep -rn TODO src docs", "allowed"],
  ["grep -r -e TODO -- src", "allowed"],
  ["grep TODO src/a.ts README.md", "allowed"],
  ["grep x config", "allowed"],
  ["cat config", "allowed"],
  ["rg TODO src", "allowed"],
  ["rg --files", "allowed"],
  ["git grep TODO -- src", "allowed"],
  ["git -C src grep TODO", "allowed"],
]);

describe("symbolic links below a searched directory", () => {
  it("`grep -r` does not follow links below the root, so links out do not count", () => {
    const d = decide(() => restricted, "grep -r TODO src")();
    expect(d.rule, d.reason).toBe("allowed");
  });
  it("`grep -R` follows them: a link to a denied file or outside is denied", () => {
    const d = decide(() => restricted, "grep -R TODO src")();
    expect(d.decision, d.reason).toBe("deny");
    expect(d.reason).toMatch(/links to/);
  });
});

rows("copies, archives and diffs of directories carry every file beneath", () => coder, [
  ["cp -r config /tmp/stolen", "paths.denied"],
  ["cp -a . ../copy", "paths.denied"],
  ["cp -r src docs", "allowed"],
  ["mv config conf2", "paths.denied"],
  ["mv README.md config", "allowed"],
  ["tar cf - .", "paths.denied"],
  ["tar -czf out.tgz config", "paths.denied"],
  ["tar -C config -cf - .", "paths.denied"],
  ["tar -cT list.txt -f out.tar", "paths.unresolvable"],
  ["tar cf out.tar src", "allowed"],
  ["zip -r out.zip .", "paths.denied"],
  ["zip -r - config", "paths.denied"],
  ["zip -@ out.zip", "paths.unresolvable"],
  ["zip -r out.zip src", "paths.denied"],
  ["diff -r config docs", "paths.denied"],
  ["diff -rN src docs", "paths.denied"],
  ["diff -rN src/lib docs", "allowed"],
  ["find . -exec cat {} +", "paths.denied"],
  ["find config -name '*.key' -exec cat {} ';'", "paths.denied"],
  ["find . -name '*.key'", "allowed"],
  ["find src -exec cat {} +", "allowed"],
  ["timeout 5 grep -r x .", "paths.denied"],
]);

describe("walk limits", () => {
  it("names the file that is denied and says what to do instead", () => {
    const d = decide(() => restricted, "grep -r . .")();
    expect(d.reason).toMatch(/including `(\.env|config\/server\.key)`/);
    expect(d.reason).toContain("Allowed instead:");
  });
});
