import { describe, expect, it } from "vitest";
import { check } from "../check.js";
import type { RuleId } from "../rules.js";
import { ctx, type ProfileName, profiles } from "../test-fixtures.js";

type Row = [profile: ProfileName, command: string, rule: RuleId];

function run(profile: ProfileName, command: string) {
  return check(profiles[profile], { tool: "bash", args: { command } }, ctx);
}

function table(name: string, rows: readonly Row[]): void {
  describe(name, () => {
    it.each(rows)("%s: %s → %s", (profile, command, rule) => {
      const d = run(profile, command);
      expect(d.rule, d.reason).toBe(rule);
      expect(d.decision).toBe(rule === "allowed" ? "allow" : "deny");
      if (d.decision === "deny") expect(d.reason).toMatch(/Allowed instead: \S/);
    });
  });
}

table("over-blocking: benign commands pass under sensible profiles", [
  ["coder", "git status", "allowed"],
  ["coder", "ls -la src", "allowed"],
  ["coder", "npm test", "allowed"],
  ["coder", "grep -rn foo src", "allowed"],
  ["coder", 'grep -rn "/api/users" src', "allowed"],
  ["coder", "git diff HEAD~1 -- src/index.ts", "allowed"],
  ["coder", "git log --oneline -n 5", "allowed"],
  ["coder", 'git commit -m "fix: handle /etc paths"', "allowed"],
  ["coder", "git add src && git commit -m wip", "allowed"],
  ["coder", "cd packages && ls", "allowed"],
  ["coder", "mkdir -p src/new && touch src/new/a.ts", "allowed"],
  ["coder", "cat package.json | jq .scripts", "allowed"],
  ["open", "cut -d / -f 2 paths.txt", "allowed"],
  ["coder", "find . -name '*.ts' -exec wc -l {} +", "allowed"],
  ["coder", "echo hello > out.txt 2>&1", "allowed"],
  ["coder", "ls 2>/dev/null || true", "allowed"],
  ["coder", "NODE_ENV=test npm test", "allowed"],
  ["coder", "CI=1 LC_ALL=C npm run build", "allowed"],
  ["coder", "timeout 60 npm test", "allowed"],
  ["coder", "env CI=1 npm test", "allowed"],
  ["coder", "sh -c 'ls src'", "allowed"],
  ["open", 'for f in a b; do echo "$f"; done', "allowed"],
  ["open", 'for f in src/*.ts; do wc -l "$f"; done', "paths.unresolvable"],
  ["coder", 'for f in src/*.ts; do wc -l "$f"; done', "shell.runtime-arg"],
  ["coder", "curl -s http://localhost:3000/health", "allowed"],
  ["coder", "curl http://127.0.0.1:8080/api", "allowed"],
  ["coder", "diff <(ls src) <(ls lib)", "allowed"],
  ["coder", "node scripts/build.js", "allowed"],
  ["coder", "python3 -m pytest tests", "allowed"],
  ["coder", "sed -i 's/a/b/' src/x.ts", "allowed"],
  ["coder", "git show HEAD:src/index.ts", "allowed"],
  ["coder", "git config user.name Bot", "allowed"],
  ["coder", "cat <<'EOF' > notes.md\nhello $(not run)\nEOF", "allowed"],
  ["reviewer", "git status", "allowed"],
  ["reviewer", "ls -la src", "allowed"],
  ["reviewer", "grep -rn foo src", "allowed"],
  ["reviewer", "git log -p -- src", "allowed"],
  ["reviewer", "git diff main...HEAD", "allowed"],
  ["reviewer", "git branch", "allowed"],
  ["reviewer", "cat src/a.ts | head -n 20 | sort | uniq -c", "allowed"],
  ["reviewer", "find src -name '*.ts' | wc -l", "allowed"],
  ["reviewer", "sed -n '1,20p' src/a.ts", "allowed"],
  ["reviewer", "awk '{print $1}' src/a.ts", "allowed"],
  ["reviewer", "rg -n TODO src", "allowed"],
  ["gitOnly", "git status", "allowed"],
  ["gitOnly", "npm test", "allowed"],
  ["gitOnly", "cd src && git diff", "allowed"],
  ["noFiles", "echo hello", "allowed"],
  ["noFiles", "date +%s", "allowed"],
]);

table("chaining, pipelines, subshells and substitutions", [
  ["coder", "ls; sudo rm -rf /", "shell.never-allowed"],
  ["coder", "ls && eval 'x'", "shell.never-allowed"],
  ["coder", "false || source ~/.bashrc", "shell.never-allowed"],
  ["coder", "ls | sudo tee /etc/x", "shell.never-allowed"],
  ["coder", "(cd / && rm -r etc)", "paths.not-allowed"],
  ["coder", "{ cat ~/.ssh/id_rsa; }", "paths.denied"],
  ["coder", "echo $(cat ~/.ssh/id_rsa)", "paths.denied"],
  ["coder", "echo `cat secrets/key`", "paths.denied"],
  ["coder", 'echo "$(docker ps)"', "shell.never-allowed"],
  ["coder", "cat <(sudo ls)", "shell.never-allowed"],
  ["coder", "if true; then sudo ls; fi", "shell.never-allowed"],
  ["coder", "while true; do exec sh; done", "shell.never-allowed"],
  ["coder", "case x in x) doas ls;; esac", "shell.never-allowed"],
  ["coder", "f() { ls; }; f", "shell.never-allowed"],
  ["coder", "x=1", "shell.never-allowed"],
  ["coder", "export PATH=/tmp", "shell.never-allowed"],
  ["coder", "alias ls=rm", "shell.never-allowed"],
  ["coder", ". ./env.sh", "shell.never-allowed"],
  ["coder", "echo $((x+2))", "shell.unbounded"],
  ["coder", "(( x = y ))", "shell.unbounded"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["coder", "echo ${!name}", "shell.unbounded"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["coder", "echo ${x@P}", "shell.unbounded"],
  // Substrings: offset and length are arithmetic (re-review item 7: literal numbers pass).
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "echo ${s:1}", "allowed"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "echo ${s:1:2}", "allowed"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "echo ${s: -1} ${s:(-2)} ${s:0:-1} ${@:2}", "allowed"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "for f in *.md; do echo ${f:0:2}; done", "allowed"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "for x in 'b[$(touch pw)]'; do echo ${s:x}; done", "shell.unbounded"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "for x in 'b[$(touch pw)]'; do echo ${s:0:x}; done", "shell.unbounded"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "echo ${s:1:$x} ", "shell.unbounded"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "echo ${s:$((1))}", "shell.unbounded"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
  ["reviewer", "cat README.md | while read x; do echo ${s:x}; done", "shell.unbounded"],
  ["coder", "cat <<EOF\n$(sudo id)\nEOF", "shell.never-allowed"],
  ["coder", "coproc ls", "shell.unbounded"],
  ["coder", "echo 'unterminated", "shell.parse-error"],
  ["coder", "ls\rrm -rf /", "shell.control-char"],
  ["coder", "ls\u200b src", "shell.control-char"],
  ["coder", "echo \u202egnp.exe", "shell.control-char"],
  ["coder", "ls\u0000", "shell.control-char"],
  ["coder", "cd /tmp && ls", "paths.not-allowed"],
  ["coder", "if true; then cd src; fi; cat a.ts", "shell.unknown-cwd"],
  ["open", "cd $DIR && cat a", "shell.unknown-cwd"],
  ["coder", "cd link-out; cat passwd", "paths.not-allowed"],
]);

table("redirections", [
  ["coder", "echo x > /etc/passwd", "paths.not-allowed"],
  ["coder", "echo x >> ~/.bashrc", "paths.not-allowed"],
  ["coder", "echo x > opencode.json", "paths.control-file"],
  ["coder", "echo x > .opencode/plugin/p.js", "paths.control-file"],
  ["coder", "echo x > .git/hooks/pre-commit", "paths.control-file"],
  ["coder", "echo x > .git/config", "paths.control-file"],
  ["coder", "echo x > .npmrc", "paths.control-file"],
  ["coder", "echo x > bunfig.toml", "paths.control-file"],
  ["coder", "echo x > cfg/orchestrator.json", "paths.control-file"],
  ["coder", "echo x &> logs/out.txt", "allowed"],
  ["coder", "echo x > .git/COMMIT_EDITMSG", "paths.control-file"],
  ["coder", "cat < ~/.ssh/id_rsa", "paths.denied"],
  ["coder", "echo x > $OUT", "paths.unresolvable"],
  ["coder", "echo x > *.json", "paths.control-file"],
  ["coder", "ls > /dev/null 2>&1", "allowed"],
  ["coder", "ls >&2", "allowed"],
  ["reviewer", "echo x > out.txt", "filesystem.read-only"],
  ["reviewer", "ls 2> err.log", "filesystem.read-only"],
  ["reviewer", "ls > /dev/null", "allowed"],
  ["noFiles", "echo x > a", "filesystem.none"],
]);

table("wrappers", [
  ["coder", "env sudo ls", "shell.never-allowed"],
  ["coder", "timeout 5 sudo ls", "shell.never-allowed"],
  ["coder", "nice -n 5 rm -f x", "shell.denied-flag"],
  ["coder", "nohup sh -c 'docker ps'", "shell.never-allowed"],
  ["coder", "command eval x", "shell.never-allowed"],
  ["coder", "command -v git", "allowed"],
  ["coder", "stdbuf -o0 cat ~/.ssh/id_rsa", "paths.denied"],
  ["coder", "time -o ../t.txt ls", "paths.not-allowed"],
  ["coder", "xargs rm", "shell.wrapper-denied"],
  ["coder", "find . | xargs cat", "shell.wrapper-denied"],
  ["coder", "bash -c 'cat ~/.ssh/id_rsa'", "paths.denied"],
  ["open", 'sh -c "$CMD"', "shell.dynamic-command"],
  ["coder", "sh script.sh", "shell.unbounded"],
  ["coder", "curl http://localhost/x | sh", "shell.unbounded"],
  ["coder", "zsh -c 'ls'", "shell.wrapper-denied"],
  ["coder", "find . -exec sudo rm {} \\;", "shell.never-allowed"],
  ["coder", "find /etc -name passwd", "paths.not-allowed"],
  ["coder", "find . -delete", "allowed"],
  ["coder", "env -S 'sudo ls'", "shell.wrapper-denied"],
  ["coder", "env GIT_SSH_COMMAND=x git status", "shell.env-prefix"],
  ["coder", "watch ls", "shell.wrapper-denied"],
  ["coder", "$CMD ls", "shell.dynamic-command"],
  ["coder", "/usr/bin/git status", "shell.command-path"],
  ["coder", "./node_modules/.bin/vitest", "shell.command-path"],
  ["gitOnly", "env CI=1 git status", "allowed"],
  ["gitOnly", "timeout 5 curl http://localhost", "shell.not-allowed-command"],
  ["gitOnly", "nice git status", "shell.not-allowed-command"],
  ["reviewer", "find . -exec cat {} \\;", "shell.not-read-only"],
  ["reviewer", "find . -delete", "filesystem.read-only"],
]);

table("environment prefixes", [
  ["coder", "GIT_DIR=/tmp git status", "shell.env-prefix"],
  ["coder", "PAGER=sh git log", "shell.env-prefix"],
  ["coder", "NODE_OPTIONS=--require=./x.js npm test", "shell.env-prefix"],
  ["coder", "BASH_ENV=x bash -c ls", "shell.env-prefix"],
  ["coder", "LD_PRELOAD=x.so ls", "shell.env-prefix"],
  ["coder", "npm_config_script_shell=x npm test", "shell.env-prefix"],
  ["coder", "TZ=UTC LANG=C TERM=dumb NO_COLOR=1 FORCE_COLOR=0 ls", "allowed"],
]);

table("inline code", [
  ["open", "node -e 'require(\"fs\")'", "shell.inline-code"],
  ["open", "node --eval=1", "shell.inline-code"],
  ["open", "node -p 1", "shell.inline-code"],
  ["open", "node", "shell.unbounded"],
  ["open", "python -c 'import os'", "shell.inline-code"],
  ["open", "python3 -Ic 'x'", "shell.inline-code"],
  ["open", "bun -e 'x'", "shell.inline-code"],
  ["open", "bun --print 1", "shell.inline-code"],
  ["open", "bun x cowsay", "shell.inline-code"],
  ["open", "bunx cowsay", "shell.inline-code"],
  ["open", "npx cowsay", "shell.inline-code"],
  ["open", "npm exec cowsay", "shell.inline-code"],
  ["open", "pnpm dlx cowsay", "shell.inline-code"],
  ["open", "deno eval 1", "shell.inline-code"],
  ["open", "perl -e 'x'", "shell.inline-code"],
  ["open", "ruby -e 'x'", "shell.inline-code"],
  ["open", "rg --pre sh x", "shell.inline-code"],
  ["open", "awk 'BEGIN{system(\"id\")}'", "shell.inline-code"],
  ["open", "sed 's/x/id/e' f", "shell.inline-code"],
  ["open", "node --version", "allowed"],
  ["reviewer", "awk '{print > \"out\"}' f", "filesystem.read-only"],
  ["open", "awk -e 'BEGIN{system(\"id\")}'", "shell.inline-code"],
  ["open", "awk --source 'BEGIN{system(\"id\")}'", "shell.inline-code"],
  ["open", "awk --source='BEGIN{system(\"id\")}'", "shell.inline-code"],
  ["reviewer", "awk -e '{print $1}' src/a.ts", "allowed"],
  ["reviewer", "awk -E .env", "paths.denied"],
  // A path option's value attached or in a bundle (re-review: `awk -f.env` printed .env in its error).
  ["reviewer", "awk -f.env src/a.ts", "paths.denied"],
  ["reviewer", "awk -f.env", "paths.denied"],
  ["reviewer", "rg -f.env src", "paths.denied"],
  ["reviewer", "rg -nf .env src", "paths.denied"],
  ["reviewer", "awk -F: -f prog.awk src/a.ts", "allowed"],
  ["reviewer", "awk -F: '{print $1}' src/a.ts", "allowed"],
  ["reviewer", "head -n5 src/a.ts", "allowed"],
  // gawk's @include reads awk source (a syntax error prints it), @load loads a shared library.
  ["reviewer", "awk '@include \".env\"' src/a.ts", "filesystem.read-only"],
  ["open", "awk '@load \"./x\"; {print}' src/a.ts", "shell.inline-code"],
  ["reviewer", "sed 'w out' f", "filesystem.read-only"],
]);

table("flag spellings", [
  ["coder", "git push --force", "shell.denied-flag"],
  ["coder", "cut -d , -f 2 data.csv", "shell.denied-flag"],
  ["open", "git branch -D x --force", "allowed"],
  ["coder", "git reset --hard", "shell.denied-flag"],
  ["coder", "git reset --ha", "shell.denied-flag"],
  ["coder", "git reset --har", "shell.denied-flag"],
  ["coder", "git checkout --forc main", "shell.denied-flag"],
  ["coder", "git checkout --fo main", "shell.denied-flag"],
  ["coder", "git checkout --force-with-lease", "shell.denied-flag"],
  ["coder", "git checkout --force=true", "shell.denied-flag"],
  ["coder", 'git checkout "--force"', "shell.denied-flag"],
  ["coder", "git checkout --f''orce", "shell.denied-flag"],
  ["coder", "rm -rf build", "shell.denied-flag"],
  ["coder", "rm -r -f build", "shell.denied-flag"],
  ["coder", "git clean -fdx", "shell.denied-flag"],
  ["coder", "git clean -dxf", "shell.denied-flag"],
  ["coder", "rm -r build", "allowed"],
  ["coder", "git checkout --fix", "allowed"],
  ["coder", "ls $FLAGS", "shell.runtime-arg"],
  ["coder", 'ls "$X"', "shell.runtime-arg"],
  ["coder", "ls $(echo -f)", "shell.denied-flag"],
  ["coder", "rm *", "shell.runtime-arg"],
  ["coder", "rm {-f,x}", "shell.runtime-arg"],
  ["coder", "rm src/*.tmp", "allowed"],
  ["coder", "npm run build -- --force", "shell.denied-flag"],
  ["coder", "npm test -- -f", "shell.denied-flag"],
]);

table("git", [
  ["open", "git -c core.pager=sh log", "git.config-override"],
  ["open", "git -ccore.pager=sh log", "git.config-override"],
  ["open", "git --config-env=core.pager=X log", "git.config-override"],
  ["open", "git --exec-path=/tmp log", "git.config-override"],
  ["open", "git -C /etc status", "git.outside-project"],
  ["open", "git --git-dir=/other/.git log", "git.outside-project"],
  ["open", "git --work-tree ../x status", "git.outside-project"],
  ["open", "git -C src status", "allowed"],
  ["open", "git config alias.x '!sh'", "git.config-write"],
  ["open", "git config core.sshCommand x", "git.config-write"],
  ["open", "git config core.hooksPath /tmp", "git.config-write"],
  ["open", "git config diff.ts.textconv cat", "git.config-write"],
  ["open", "git config merge.x.driver x", "git.config-write"],
  ["open", "git config --global user.name x", "git.config-write"],
  ["open", "git config --get user.name", "allowed"],
  ["open", "git show HEAD:../../etc/passwd", "paths.not-allowed"],
  ["open", "git bisect run make", "git.unsafe-subcommand"],
  ["open", "git rebase -x 'make' main", "git.unsafe-subcommand"],
  ["open", "git filter-branch", "git.unsafe-subcommand"],
  ["open", "git frobnicate", "git.unsafe-subcommand"],
  ["open", "git grep -O foo", "git.unsafe-subcommand"],
  ["open", "git push origin main", "allowed"],
  ["open", "git checkout -- opencode.json", "paths.control-file"],
  ["coder", "git push origin +main", "network.remote-operation"],
  ["coder", "git fetch", "network.remote-operation"],
  ["coder", "git pull", "network.remote-operation"],
  ["coder", "git clone https://x/y", "network.remote-operation"],
  ["reviewer", "git commit -m x", "shell.not-read-only"],
  ["reviewer", "git branch new", "shell.not-read-only"],
  ["reviewer", "git diff --output=out.txt", "filesystem.read-only"],
  ["reviewer", "git stash", "shell.not-read-only"],
  ["reviewer", "git stash list", "allowed"],
  ["noFiles", "git status", "shell.no-file-command"],
]);

describe("git push +refspec counts as --force", () => {
  it("denies it when --force is denied and the network is full", () => {
    const p = {
      categories: { filesystem: "full", execution: "full", network: "full" },
      tools: { bash: { enabled: true, constraints: { deniedFlags: ["--force"] } } },
    } as const;
    const d = check(p, { tool: "bash", args: { command: "git push origin +main:main" } }, ctx);
    expect(d.rule).toBe("shell.denied-flag");
    expect(check(p, { tool: "bash", args: { command: "git push origin main" } }, ctx).decision).toBe("allow");
  });
});

table("package scripts", [
  ["coder", "npm run lint", "allowed"],
  ["coder", "npm run danger", "network.not-localhost"],
  ["open", "npm run danger", "shell.unbounded"],
  ["coder", "npm run push", "shell.denied-flag"],
  ["coder", "npm run nested", "allowed"],
  ["coder", "npm run loop", "shell.too-deep"],
  ["coder", "npm run missing", "npm.script-missing"],
  ["coder", "bun run lint", "allowed"],
  ["coder", "pnpm lint", "allowed"],
  ["coder", "npm install", "network.remote-operation"],
  ["coder", "bun add zod", "network.remote-operation"],
  ["coder", "npm ci", "network.remote-operation"],
  ["coder", "npm publish", "network.remote-operation"],
  ["coder", "npm --prefix /tmp test", "npm.unsupported"],
  ["open", "npm install", "allowed"],
  ["gitOnly", "npm run build", "shell.not-allowed-command"],
  ["reviewer", "npm test", "shell.not-read-only"],
]);

describe("package scripts without package.json", () => {
  it("denies npm run when the context has no package.json", () => {
    const { packageJson: _, ...bare } = ctx;
    const d = check(profiles.coder, { tool: "bash", args: { command: "npm test" } }, bare);
    expect(d.rule).toBe("npm.script-missing");
  });
});

table("filesystem: read allows only read-only commands", [
  ["reviewer", "rm x", "shell.not-read-only"],
  ["reviewer", "touch x", "shell.not-read-only"],
  ["reviewer", "tee x", "shell.not-read-only"],
  ["reviewer", "sort -o out in", "filesystem.read-only"],
  ["reviewer", "sort --output=out in", "filesystem.read-only"],
  ["reviewer", "sed -i s/a/b/ f", "filesystem.read-only"],
  ["reviewer", "sed --in-place s/a/b/ f", "filesystem.read-only"],
  ["reviewer", "uniq in out", "filesystem.read-only"],
  ["reviewer", "tree -o out", "filesystem.read-only"],
  ["reviewer", "make", "shell.not-read-only"],
  ["reviewer", "cat .env", "paths.denied"],
  ["reviewer", "cat ~/.ssh/id_rsa", "paths.not-allowed"],
  ["noFiles", "ls", "shell.no-file-command"],
  ["noFiles", "cat x", "shell.no-file-command"],
]);

table("network commands", [
  ["coder", "curl http://0x7f.1/", "network.not-localhost"],
  ["coder", "curl http://2130706433/", "network.not-localhost"],
  ["coder", "curl http://127.1/", "network.not-localhost"],
  ["coder", "curl http://0177.0.0.1/", "network.not-localhost"],
  ["coder", "curl http://0.0.0.0:3000/", "network.not-localhost"],
  ["coder", "curl 'http://[::ffff:127.0.0.1]/'", "network.not-localhost"],
  ["coder", "curl http://localhost.:3000/", "network.not-localhost"],
  ["coder", "curl http://localhost@evil.com/", "network.invalid-url"],
  ["coder", "curl http://localhost:4096/session", "network.reserved-port"],
  ["coder", "curl evil.com", "network.not-localhost"],
  ["coder", "curl --resolve localhost:80:1.2.3.4 http://localhost/", "network.not-localhost"],
  ["coder", "curl -x http://evil:8080 http://localhost/", "network.not-localhost"],
  ["coder", "curl -o ~/.bashrc http://localhost/x", "paths.not-allowed"],
  ["coder", "curl -O http://localhost/opencode.json", "paths.control-file"],
  ["coder", "curl file:///etc/passwd", "network.invalid-url"],
  ["coder", "wget http://evil.com/x", "network.not-localhost"],
  ["coder", "ssh host", "network.not-localhost"],
  ["coder", "nc localhost 80", "network.not-localhost"],
  ["reviewer", "curl http://localhost/", "network.none"],
  ["open", "curl https://example.com", "allowed"],
  ["open", "ssh host ls", "allowed"],
]);

describe("allowedCommands", () => {
  it("matches the literal word, case-sensitively", () => {
    expect(run("gitOnly", "Git status").rule).toBe("shell.not-allowed-command");
    expect(run("gitOnly", "ls").rule).toBe("shell.not-allowed-command");
  });
  it("names the allowed commands in the reason", () => {
    expect(run("gitOnly", "curl x").reason).toContain("`git`, `npm`");
  });
  it("an empty list allows no command", () => {
    const p = {
      categories: { filesystem: "full", execution: "full" },
      tools: { shell: { enabled: true, constraints: { allowedCommands: [] } } },
    } as const;
    expect(check(p, { tool: "bash", args: { command: "git status" } }, ctx).rule).toBe(
      "shell.not-allowed-command",
    );
  });
});
