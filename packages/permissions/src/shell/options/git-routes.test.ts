import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../../check.js";
import type { CheckContext } from "../../context.js";
import type { RuleId } from "../../rules.js";
import type { Permissions } from "../../schema.js";

// The black-box review of issue 11 (bypasses 1-9), as decisions on a real project directory: git's
// pathspecs and git directories are judged by what is on disk.
const DENIED = ["**/.env", "secrets/**"];
const ALLOW: Permissions = {
  categories: { filesystem: "full", execution: "full", network: "none" },
  tools: {
    bash: { enabled: true, constraints: { allowedCommands: ["ls", "cat", "echo", "git", "grep", "test"] } },
  },
  paths: { denied: DENIED },
};
const READ_FULL: Permissions = {
  categories: { filesystem: "read", execution: "full", network: "none" },
  paths: { denied: DENIED },
};
const SANDBOXED: Permissions = {
  categories: { filesystem: "full", execution: "sandboxed", network: "none" },
  paths: { denied: DENIED },
};

let root: string;
let ctx: CheckContext;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "orchestra-git-routes-"));
  const files: Record<string, string> = {
    ".env": "TOKEN=x\n",
    "secrets/token.txt": "t\n",
    "README.md": "# r\n",
    "src/x.ts": "x\n",
    "patterns.txt": "x\n",
    "fake/HEAD": "ref: refs/heads/main\n",
    "fake/objects/keep": "",
    "fake/refs/keep": "",
    "fake/config": "[core]\n\tfsmonitor = touch pwned\n",
  };
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
  execFileSync("git", ["init", "-q", root]);
  ctx = {
    cwd: root,
    home: "/home/u",
    platform: "linux",
    caseInsensitiveFs: false,
    user: "u",
    reservedLocalPorts: [],
  };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Row = [name: string, command: string, rule: RuleId, profile: Permissions];
const P = { ALLOW, READ_FULL, SANDBOXED };
const rows = (profile: keyof typeof P, list: [string, RuleId][]): Row[] =>
  list.map(([command, rule]) => [profile, command, rule, P[profile]]);

describe("issue 11 review: bypasses refused, benign forms kept", () => {
  it.each([
    // 1. arithmetic contexts evaluate a value's subscripts
    ...rows("ALLOW", [
      ["for y in 'a[$(touch pwned)]'; do [[ $y -eq 1 ]]; done", "shell.unbounded"],
      ["[[ $y -lt 2 ]]", "shell.unbounded"],
      ["[[ 1 -ge $y ]]", "shell.unbounded"],
      ["[[ 'a[$(touch p)]' -eq 1 ]]", "shell.unbounded"],
      ["[[ -v PWD[y] ]]", "shell.unbounded"],
      ['test -v "PWD[$y]"', "shell.unbounded"],
      ["test -v 'PWD[$(touch p)]'", "shell.unbounded"],
      ["(( x + 1 ))", "shell.unbounded"],
      ["echo $(( y ))", "shell.unbounded"],
      ["[[ $x == y ]]", "allowed"],
      ["[[ 1 -eq 1 ]]", "allowed"],
      ["[[ -v PWD ]]", "allowed"],
      ["(( 1 + 2 ))", "allowed"],
      ["echo $(( 0x10 * 3 ))", "allowed"],
    ]),
    ...rows("READ_FULL", [["for y in 'a[$(cat .env >&2)]'; do [[ $y -eq 1 ]]; done", "shell.unbounded"]]),
    // 2. git's own pathspec globs
    ...rows("ALLOW", [
      ["git add '.en?'", "paths.denied"],
      ["git add 'sec*'", "paths.denied"],
      ["git add ':(icase).ENV'", "paths.denied"],
      ["git add .", "paths.denied"],
      ["git add -A", "paths.denied"],
      ["git add ':!README.md'", "paths.denied"],
      ["git add --pathspec-from-file=list.txt", "paths.unresolvable"],
      ["git update-index --add --stdin < list.txt", "paths.unresolvable"],
      ["git stash -u", "paths.denied"],
      ["git stash push --include-untracked", "paths.denied"],
      ["git add ':(attr:x)src'", "git.pathspec"],
      ["git add src/x.ts", "allowed"],
      ["git add 'src/*.ts'", "allowed"],
      ["git status", "allowed"],
      ["git stash", "allowed"],
      ["git commit -m fix", "allowed"],
    ]),
    // 3. path-valued options in the `=` and attached forms
    ...rows("ALLOW", [
      ["git blame --contents=.env README.md", "paths.denied"],
      ["git blame --cont=.env README.md", "paths.denied"],
      ["git blame --ignore-revs-file=.env README.md", "paths.denied"],
      ["git blame -S .env README.md", "paths.denied"],
      ["git blame -S.env README.md", "paths.denied"],
      ["git diff -O.env", "paths.denied"],
      ["git tag -F.env v1", "paths.denied"],
      ["git log --grep=.env --format=%H", "allowed"],
      ["git blame README.md", "allowed"],
    ]),
    ...rows("READ_FULL", [["git blame --contents=.env README.md", "paths.denied"]]),
    // 4. file lists from standard input
    ...rows("ALLOW", [
      ["git hash-object -w --stdin-paths < list.txt", "paths.unresolvable"],
      ["git hash-object -w .env", "paths.denied"],
    ]),
    // 5. options and operands that run programs
    ...rows("ALLOW", [
      ["git archive --remote=. --exec='touch pwned' HEAD", "git.unsafe-subcommand"],
      ["git archive --exec=x HEAD", "git.unsafe-subcommand"],
      ["git ls-remote --upl=x .", "git.unsafe-subcommand"],
      ["git clone --template=t . x", "git.unsafe-subcommand"],
      ["git submodule foreach ls", "git.unsafe-subcommand"],
      ["git maintenance start", "git.unsafe-subcommand"],
      ["git merge -s evil x", "git.unsafe-subcommand"],
      ["git merge --strategy=evil x", "git.unsafe-subcommand"],
      ["git send-email x", "git.unsafe-subcommand"],
      ["git help -w status", "git.unsafe-subcommand"],
      ["git merge -s ort x", "allowed"],
      ["git archive -o out.tar HEAD", "allowed"],
    ]),
    // 6. a git directory the worker wrote
    ...rows("ALLOW", [
      ["git --git-dir=fake --work-tree=. status", "git.foreign-repository"],
      ["git --work-tree=/tmp status", "git.outside-project"],
      ["git --work-tree=src status", "git.foreign-repository"],
      ["git -C fake status", "git.foreign-repository"],
      ["cd fake && git log", "git.foreign-repository"],
      ["git --git-dir=.git status", "allowed"],
      ["git -C src status", "allowed"],
    ]),
    // 7. work-tree writes from data the validator cannot see
    ...rows("ALLOW", [
      ["git apply p.diff", "git.sandbox-only"],
      ["git am m.mbox", "git.sandbox-only"],
      [
        "git update-index --cacheinfo 100644,e69de29bb2d1d6434b8b29ae775368d91c8b1f34,opencode.json",
        "paths.control-file",
      ],
      [
        "git update-index --cacheinfo 100644,e69de29bb2d1d6434b8b29ae775368d91c8b1f34,src/y.ts",
        "git.sandbox-only",
      ],
      ["git read-tree HEAD", "git.sandbox-only"],
      ["git hash-object -w -t tree t.bin", "git.sandbox-only"],
      ["git merge -Xsubtree=.opencode/plugin x", "git.sandbox-only"],
      ["git checkout -- '*.json'", "paths.control-file"],
      ["git apply --stat p.diff", "allowed"],
      ["git checkout -- src/x.ts", "allowed"],
    ]),
    ...rows("SANDBOXED", [
      ["git apply p.diff", "allowed"],
      ["git am m.mbox", "allowed"],
    ]),
    // 8. control files: tui.json and an interrupted rebase's todo
    ...rows("ALLOW", [
      ["printf '{}' > tui.json", "paths.control-file"],
      ["echo x > sub/tui.jsonc", "paths.control-file"],
      ["echo 'exec touch pwned' > .git/rebase-merge/git-rebase-todo", "paths.control-file"],
      ["echo x > .git/sequencer/todo", "paths.control-file"],
      ["echo x > .git/index", "paths.control-file"],
    ]),
    // 9. grep's attached short values
    ...rows("ALLOW", [
      ["grep -f.env README.md", "paths.denied"],
      ["grep -if.env README.md", "paths.denied"],
      ["grep --file=.env README.md", "paths.denied"],
      ["grep --fi=.env README.md", "shell.unknown-option"],
      ["grep --exclude-from=.env -r x src", "paths.denied"],
      ["grep -e x .env", "paths.denied"],
      ["grep -f patterns.txt README.md", "allowed"],
      ["grep -rn -e x src", "allowed"],
      ["grep -5 x README.md", "allowed"],
      ["grep --bogus x README.md", "shell.unknown-option"],
    ]),
    ...rows("READ_FULL", [["grep -f.env README.md", "paths.denied"]]),
  ])("%s: %s → %s", (_name, command, rule, profile) => {
    const d = check(profile, { tool: "bash", args: { command } }, ctx);
    expect(d.rule, d.reason).toBe(rule);
  });
});

describe("issue 11 re-review: git option values attached, bundled or abbreviated", () => {
  it.each([
    // 3. archive's output file
    ...rows("ALLOW", [
      ["git archive -otui.json HEAD", "paths.control-file"],
      ["git archive --outp=opencode.json HEAD", "paths.control-file"],
      ["git archive --o=.opencode/x.tar HEAD", "paths.control-file"],
      ["git archive -o.git/config HEAD", "paths.control-file"],
      ["git archive -o.git/hooks/pre-commit HEAD", "paths.control-file"],
      ["git archive -osecrets/x.tar HEAD", "paths.denied"],
      ["git archive -o/tmp/x.tar HEAD", "paths.not-allowed"],
      ["git archive -o../outside/x.tar HEAD", "paths.not-allowed"],
      ["git archive -vo.opencode/x.tar HEAD", "paths.control-file"],
      ["git archive -o tui.json HEAD", "paths.control-file"],
      ["git archive -ox.tar HEAD", "allowed"],
      ["git archive -o x.tar HEAD", "allowed"],
      ["git archive --output=x.tar HEAD", "allowed"],
      // every diff/log command's --output, in any prefix
      ["git log -1 --outp=opencode.json", "paths.control-file"],
      ["git diff --output=tui.json", "paths.control-file"],
      ["git show --outp=.opencode/plugin/x.js", "paths.control-file"],
      ["git range-diff --output=tui.json a b", "paths.control-file"],
      ["git log -1 --output=log.txt", "allowed"],
    ]),
    // 4. format-patch's output directory
    ...rows("ALLOW", [
      ["git format-patch -1 --suffix=.md -o.opencode/command-x", "paths.control-file"],
      ["git format-patch -1 -o.opencode", "paths.control-file"],
      ["git format-patch -1 --output-dir=.opencode", "paths.control-file"],
      ["git format-patch -1 --output-directory=.opencode", "paths.control-file"],
      ["git format-patch -1 --o=.opencode", "paths.control-file"],
      ["git format-patch -1 -vo.opencode", "paths.control-file"],
      ["git format-patch -1 -no.opencode", "paths.control-file"],
      ["git format-patch -1 -o.git/hooks", "paths.control-file"],
      ["git format-patch -1 -osecrets", "paths.denied"],
      ["git format-patch -1 -o/root/.config/opencode", "paths.not-allowed"],
      ["git format-patch -1 -o~/.config/opencode", "paths.control-file"],
      ["git format-patch -1 -o../outside", "paths.not-allowed"],
      ["git format-patch -1 --output-directory .opencode", "paths.control-file"],
      ["git format-patch -1 -o .opencode", "paths.control-file"],
      ["git format-patch -1 -o patches", "allowed"],
      ["git format-patch -1 -opatches --suffix=.md", "allowed"],
      ["git format-patch -1 --stdout", "allowed"],
    ]),
    ...rows("READ_FULL", [
      ["git log --o=x", "filesystem.read-only"],
      ["git log --outp=x", "filesystem.read-only"],
      ["git format-patch -1 -opatches", "filesystem.read-only"],
    ]),
    // 5. ls-files' exclude file, git grep's pattern file
    ...rows("ALLOW", [
      ["git ls-files -o -i -X.env", "paths.denied"],
      ["git ls-files -o -i --exclude-from=.env", "paths.denied"],
      ["git ls-files -o -i --exclude-fr=.env", "paths.denied"],
      ["git ls-files -o -i -X .env", "paths.denied"],
      ["git grep -f.env", "paths.denied"],
      ["git ls-files -o -i -Xpatterns.txt", "allowed"],
      // archive and ls-files by their option tables (git-options.ts)
      ["git archive --add-file=.env -o x.tar HEAD", "paths.denied"],
      ["git archive --add-file .env -o x.tar HEAD", "paths.denied"],
      ["git archive --bogus HEAD", "shell.unknown-option"],
      ["git archive --format=zip -9 -o x.zip HEAD", "allowed"],
      ["git archive --o=x.tar --prefix=p/ HEAD", "allowed"],
      ["git ls-files -o -i --exclude-per-directory=.env", "paths.denied"],
      ["git ls-files -co --exclude-standard", "allowed"],
      ["git ls-files --bogus", "shell.unknown-option"],
    ]),
    ...rows("READ_FULL", [["git ls-files -o -i -X.env", "paths.denied"]]),
  ])("%s: %s → %s", (_name, command, rule, profile) => {
    const d = check(profile, { tool: "bash", args: { command } }, ctx);
    expect(d.rule, d.reason).toBe(rule);
  });
});
