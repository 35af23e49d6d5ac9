import { describe, expect, it } from "vitest";
import { check } from "../../check.js";
import type { RuleId } from "../../rules.js";
import type { Permissions } from "../../schema.js";
import { ctx } from "../../test-fixtures.js";

// Decision tests for issue 11 item 8: commands checked by their option tables.
const LISTED = ["ls", "cat", "grep", "sed", "sort", "tar", "diff", "cp", "mv", "dd", "git"];
const profiles = {
  /** The red-team process worker: full categories, but an allowlist (so restricted). */
  listed: {
    categories: { filesystem: "full", execution: "full", network: "full" },
    tools: { bash: { enabled: true, constraints: { allowedCommands: LISTED } } },
    paths: { denied: ["**/.env", "~/.ssh/**"] },
  },
  /** The red-team session worker. */
  reader: { categories: { filesystem: "read", execution: "sandboxed", network: "none" } },
  /** Full trust: unknown options are left to the program. */
  full: { categories: { filesystem: "full", execution: "full", network: "full" } },
  /** Long forms denied: their short aliases must be denied too. */
  longDenied: {
    categories: { filesystem: "full", execution: "sandboxed", network: "full" },
    tools: { bash: { enabled: true, constraints: { deniedFlags: ["--no-verify", "--force"] } } },
  },
  /** Short forms denied: their long forms and abbreviations must be denied too. */
  shortDenied: {
    categories: { filesystem: "full", execution: "sandboxed", network: "full" },
    tools: { bash: { enabled: true, constraints: { deniedFlags: ["-n", "-f"] } } },
  },
} satisfies Record<string, Permissions>;
type Name = keyof typeof profiles;
type Row = [profile: Name, command: string, rule: RuleId];

function table(name: string, rows: readonly Row[]): void {
  describe(name, () => {
    it.each(rows)("%s: %s → %s", (profile, command, rule) => {
      const d = check(profiles[profile], { tool: "bash", args: { command } }, ctx);
      expect(d.rule, d.reason).toBe(rule);
      expect(d.decision).toBe(rule === "allowed" ? "allow" : "deny");
      if (d.decision === "deny") expect(d.reason).toMatch(/Allowed instead: \S/);
    });
  });
}

table("sed scripts: e runs, w/W writes, r/R reads", [
  ["listed", "sed -n '1,$w ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed -n '1,$ w ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed -n '/a/,/b/w ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed -n '0~2w ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed -n '1,+3!W ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed 's/a/b/w ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed 's|a|b|gw ../outside/x' f", "paths.not-allowed"],
  ["listed", "sed 's/a/b/w .opencode/plugin/p.js' f", "paths.control-file"],
  ["listed", "sed 's/a/id/e' f", "shell.inline-code"],
  ["listed", "sed 's/a/id/ge' f", "shell.inline-code"],
  ["listed", "sed '1,$e id' f", "shell.inline-code"],
  ["listed", "sed -e p -e '$e id' f", "shell.inline-code"],
  ["listed", "sed --expression='e' f", "shell.inline-code"],
  ["listed", "sed '1{e id\n}' f", "shell.inline-code"],
  ["listed", "sed '1r /etc/shadow' f", "paths.not-allowed"],
  ["listed", "sed 'R .env' f", "paths.denied"],
  ["listed", "sed -f script.sed f", "shell.unbounded"],
  ["listed", "sed 's/a/b' f", "shell.unbounded"],
  ["listed", "sed 'k' f", "shell.unbounded"],
  ["listed", 'sed "$S" f', "shell.runtime-arg"],
  ["listed", "sed -n '1,20p' src/a.ts", "allowed"],
  ["listed", "sed -E 's/(a|b)+/x/g; /foo/d' src/a.ts", "allowed"],
  ["listed", "sed ':a;N;$!ba;s/\\n/ /g' src/a.ts", "allowed"],
  ["listed", "sed '/start/,/end/{s/x/y/;p}' src/a.ts", "allowed"],
  ["listed", "sed '1i\\\nheader' src/a.ts", "allowed"],
  ["listed", "sed 'y/abc/xyz/' src/a.ts", "allowed"],
  ["listed", "sed 's/w/e/' src/a.ts", "allowed"],
  ["listed", "sed 'w out.txt' src/a.ts", "allowed"],
  ["listed", "sed --sandbox -f script.sed src/a.ts", "allowed"],
  ["listed", "sed -n '1,$w ../outside/x' f -- --sandbox", "paths.not-allowed"],
  ["reader", "sed -n '1,$w out' f", "filesystem.read-only"],
  ["reader", "sed 'W out' f", "filesystem.read-only"],
  ["reader", "sed '$e id' f", "shell.inline-code"],
  ["reader", "sed -n '1,20p' src/a.ts", "allowed"],
  ["full", "sed 's/a/id/e' f", "shell.inline-code"],
]);

table("sed options: abbreviations and bundles of -i", [
  ["reader", "sed --in-pl s/a/b/ f", "filesystem.read-only"],
  ["reader", "sed --in s/a/b/ f", "filesystem.read-only"],
  ["reader", "sed -ni.bak p f", "filesystem.read-only"],
  ["reader", "sed -Ei s/a/b/ f", "filesystem.read-only"],
  ["listed", "sed --in-pl s/a/b/ .npmrc", "paths.control-file"],
  ["listed", "sed -i s/a/b/ ../outside/f", "paths.not-allowed"],
  ["listed", "sed -i s/a/b/ src/a.ts", "allowed"],
  ["listed", "sed --bogus p f", "shell.unknown-option"],
  ["listed", "sed -k p f", "shell.unknown-option"],
  ["listed", "sed --s p f", "shell.unknown-option"],
  ["full", "sed --bogus p src/a.ts", "allowed"],
]);

table("sort", [
  ["listed", "sort --outp=../outside/x README.md", "paths.not-allowed"],
  ["listed", "sort --o ../outside/x README.md", "paths.not-allowed"],
  ["listed", "sort -o../outside/x README.md", "paths.not-allowed"],
  ["listed", "sort -ro ../outside/x README.md", "paths.not-allowed"],
  ["listed", "sort README.md --output ../outside/x", "paths.not-allowed"],
  ["listed", "sort -T /tmp/x README.md", "paths.not-allowed"],
  ["listed", "sort --compress-program=sh README.md", "shell.inline-code"],
  ["listed", "sort --compress-prog sh README.md", "shell.inline-code"],
  ["full", "sort --comp=sh README.md", "shell.inline-code"],
  ["listed", "sort --files0-from=list", "paths.unresolvable"],
  ["listed", "sort --random-source=/etc/shadow README.md", "paths.not-allowed"],
  ["listed", "sort -- --compress-program=sh", "allowed"],
  ["listed", "sort *", "shell.runtime-arg"],
  ["listed", "sort $X README.md", "shell.runtime-arg"],
  ["listed", "sort ./*", "allowed"],
  ["listed", "sort -k2,2n -t, -u README.md", "allowed"],
  ["listed", "sort --output=sorted.txt README.md", "allowed"],
  ["listed", "sort --bogus README.md", "shell.unknown-option"],
  ["full", "sort --bogus README.md", "allowed"],
  ["reader", "sort --outp=x README.md", "filesystem.read-only"],
  ["reader", "sort -o x README.md", "filesystem.read-only"],
  ["reader", "sort -rn README.md", "allowed"],
]);

table("tar", [
  ["listed", "tar --checkpoint=1 --checkpoint-action=exec=sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --checkpoint-action=exec='touch x' -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --checkpoint-action=dot -cf a.tar src", "allowed"],
  ["listed", "tar --to-command=sh -xf a.tar x", "shell.inline-code"],
  ["listed", "tar --to-c sh -xf a.tar x", "shell.inline-code"],
  ["listed", "tar -I sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar -Ish -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --use-compress-program=sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --use=sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar -F ./x.sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --info-script=./x.sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --new-volume-script=./x.sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --rsh-command=/bin/sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar --rmt-command=/bin/sh -cf a.tar src", "shell.inline-code"],
  ["listed", "tar -cf host:a.tar src", "shell.inline-code"],
  ["listed", "tar cIf sh a.tar src", "shell.inline-code"],
  ["listed", "tar -cf ../outside/a.tar src", "paths.not-allowed"],
  ["listed", "tar -C / -cf a.tar etc/shadow", "paths.not-allowed"],
  ["listed", "tar -cf a.tar -C .. outside", "paths.not-allowed"],
  ["listed", "tar -xf a.tar -C ../outside x", "paths.not-allowed"],
  ["listed", "tar -xf a.tar", "paths.unresolvable"],
  ["listed", "tar -xPf a.tar x", "paths.unresolvable"],
  ["listed", "tar --transform=s,^,../, -xf a.tar x", "paths.unresolvable"],
  ["listed", "tar -cf a.tar -T list", "paths.unresolvable"],
  ["listed", "tar -cf a.tar --mtime=/etc/shadow src", "paths.not-allowed"],
  ["listed", "tar -cf a.tar --mtime='2020-01-01' src", "allowed"],
  ["listed", "tar -xf a.tar opencode.json", "paths.control-file"],
  // filesystem: read: an archive written to stdout writes no file (re-review 7)
  ["reader", "tar -cf - src", "allowed"],
  ["reader", "tar -czf - src README.md", "allowed"],
  ["reader", "tar cf - src", "allowed"],
  ["reader", "tar -c -f - -C src .", "allowed"],
  ["reader", "tar -cf a.tar src", "filesystem.read-only"],
  ["reader", "tar -cf - -f a.tar src", "filesystem.read-only"],
  ["reader", "tar -cf - --remove-files src", "filesystem.read-only"],
  ["reader", "tar -cf - -g snap src", "filesystem.read-only"],
  ["reader", "tar -rf - src", "filesystem.read-only"],
  ["reader", "tar -cf - ../outside", "paths.not-allowed"],
  ["reader", "tar -cf - -C / etc", "paths.not-allowed"],
  ["reader", "tar --checkpoint-action=exec=sh -cf - src", "shell.inline-code"],
  ["listed", "tar czf a.tgz src", "allowed"],
  ["listed", "tar -czf a.tgz src", "allowed"],
  ["listed", "tar xzf a.tgz src/a.ts", "allowed"],
  ["listed", "tar -xf a.tar -O x", "allowed"],
  ["listed", "tar -tvf a.tar", "allowed"],
  ["listed", "tar --bogus -cf a.tar src", "shell.unknown-option"],
  ["reader", "tar -tf a.tar", "allowed"],
  ["reader", "tar -xf a.tar x", "filesystem.read-only"],
  ["reader", "tar cf a.tar src", "filesystem.read-only"],
]);

table("diff: option values that name files are reads", [
  ["listed", "diff --from-file=/etc/shadow README.md", "paths.not-allowed"],
  ["listed", "diff --from-file /etc/shadow README.md", "paths.not-allowed"],
  ["listed", "diff --from=/etc/shadow README.md", "paths.not-allowed"],
  ["listed", "diff --to-file=../outside/secret README.md", "paths.not-allowed"],
  ["listed", "diff --to-file=.env README.md", "paths.denied"],
  ["listed", "diff -X /etc/shadow a b", "paths.not-allowed"],
  ["listed", "diff README.md /etc/shadow", "paths.not-allowed"],
  ["listed", "diff -u a b", "allowed"],
  ["listed", "diff -U3 a b", "allowed"],
  ["listed", "diff -C 3 a b", "allowed"],
  ["listed", "diff --context=5 a b", "allowed"],
  ["listed", "diff -ruN src lib", "allowed"],
  ["listed", "diff --bogus a b", "shell.unknown-option"],
  ["listed", "diff --co a b", "shell.unknown-option"],
  ["reader", "diff --from-file=/etc/shadow README.md", "paths.not-allowed"],
  ["reader", "diff -u a b", "allowed"],
]);

table("cp, mv: target directories in every spelling", [
  ["listed", "cp -t/root f", "paths.not-allowed"],
  ["listed", "cp -t /root f", "paths.not-allowed"],
  ["listed", "cp -rt/root f", "paths.not-allowed"],
  ["listed", "cp --target-directory=/root f", "paths.not-allowed"],
  ["listed", "cp --target=/root f", "paths.not-allowed"],
  ["listed", "cp --t /root f", "paths.not-allowed"],
  ["listed", "cp f -t ../outside", "paths.not-allowed"],
  ["listed", "cp -t ../outside -- f", "paths.not-allowed"],
  ["listed", "cp /etc/shadow copy", "paths.not-allowed"],
  ["listed", "cp -t dest .env", "paths.denied"],
  ["listed", "cp a b", "allowed"],
  ["listed", "cp -r src dest", "allowed"],
  ["listed", "cp -t dest a b", "allowed"],
  ["listed", "cp --bogus a b", "shell.unknown-option"],
  ["listed", "mv --target-directory=/root f", "paths.not-allowed"],
  ["listed", "mv -t/root f", "paths.not-allowed"],
  ["listed", "mv --targ /root f", "paths.not-allowed"],
  ["listed", "mv ../outside/x here", "paths.not-allowed"],
  ["listed", "mv a b", "allowed"],
  ["reader", "cp a b", "shell.not-read-only"],
  ["reader", "mv a b", "shell.not-read-only"],
]);

table("dd: key=value operands", [
  ["listed", "dd if=/etc/shadow of=copy", "paths.not-allowed"],
  ["listed", "dd if=../outside/secret of=copy", "paths.not-allowed"],
  ["listed", "dd if=~/.ssh/id_rsa of=copy", "paths.denied"],
  ["listed", "dd if='/etc/shadow' of=copy", "paths.not-allowed"],
  ["listed", "dd if=a of=/root/b", "paths.not-allowed"],
  ["listed", "dd if=a of=opencode.json", "paths.control-file"],
  ["listed", "dd if=$F of=b", "shell.runtime-arg"],
  ["listed", "dd foo=bar", "shell.unknown-option"],
  ["listed", "dd if=a of=b bs=1M count=1 status=none", "allowed"],
  ["reader", "dd if=a", "allowed"],
  ["reader", "dd if=a of=b", "shell.not-read-only"],
]);

table("git config is read as git reads its argv", [
  ["listed", "git config core.hooksPath list", "git.config-write"],
  ["listed", "git config core.hooksPath get", "git.config-write"],
  ["listed", "git config core.fsmonitor ./x.sh", "git.config-write"],
  ["listed", "git config --add alias.x '!sh'", "git.config-write"],
  ["listed", "git config --replace-all core.pager sh", "git.config-write"],
  ["listed", "git config set core.hooksPath x", "git.config-write"],
  ["listed", "git config set --append alias.x '!sh'", "git.config-write"],
  ["listed", "git config --type=path core.hooksPath x", "git.config-write"],
  ["listed", "git config -z core.sshCommand x", "git.config-write"],
  ["listed", "git config Core.HooksPath x", "git.config-write"],
  ["listed", "git config remote.origin.uploadpack x", "git.config-write"],
  ["listed", "git config core.worktree /", "git.config-write"],
  ["listed", "git config commit.template /etc/shadow", "git.config-write"],
  ["listed", "git config --rename-section x alias", "git.config-write"],
  ["listed", "git config --file=x user.name y", "git.config-write"],
  ["listed", "git config --global user.name x", "git.config-write"],
  ["listed", "git config -e", "shell.inline-code"],
  ["listed", "git config --file=/etc/shadow --list", "paths.not-allowed"],
  ["listed", "git config --bogus x", "shell.unknown-option"],
  ["listed", "git config user.name Bot", "allowed"],
  ["listed", "git config --get core.hooksPath", "allowed"],
  ["listed", "git config get core.hooksPath", "allowed"],
  ["listed", "git config core.hooksPath", "allowed"],
  ["listed", "git config --list", "allowed"],
  ["listed", "git config -l", "allowed"],
  ["listed", "git config list", "allowed"],
  ["listed", "git config --get-regexp alias", "allowed"],
  ["listed", "git config --unset user.name", "allowed"],
  ["reader", "git config user.name Bot", "filesystem.read-only"],
  ["reader", "git config --add user.name Bot", "filesystem.read-only"],
  ["reader", "git config set user.name Bot", "filesystem.read-only"],
  ["reader", "git config --unset user.name", "filesystem.read-only"],
  ["reader", "git config --get user.name", "allowed"],
  ["reader", "git config --list", "allowed"],
]);

table("git: denied flags in every alias", [
  ["longDenied", "git commit -n -m x", "shell.denied-flag"],
  ["longDenied", "git commit -anm x", "shell.denied-flag"],
  ["longDenied", "git commit --no-verify -m x", "shell.denied-flag"],
  ["longDenied", "git commit --no-ver -m x", "shell.denied-flag"],
  ["longDenied", "git commit --verify -m x", "allowed"],
  ["longDenied", "git commit -m x", "allowed"],
  ["longDenied", "git push -f origin main", "shell.denied-flag"],
  ["longDenied", "git push -fu origin main", "shell.denied-flag"],
  ["longDenied", "git push -uf origin main", "shell.denied-flag"],
  ["longDenied", "git push --forc origin main", "shell.denied-flag"],
  ["longDenied", "git push --force-with-lease origin main", "shell.denied-flag"],
  ["longDenied", "git push origin +main", "shell.denied-flag"],
  ["longDenied", "git push -u origin main", "allowed"],
  ["shortDenied", "git push --force origin main", "shell.denied-flag"],
  ["shortDenied", "git push --forc origin main", "shell.denied-flag"],
  ["shortDenied", "git commit --no-verify -m x", "shell.denied-flag"],
  ["shortDenied", "git commit --dry-run -m x", "allowed"],
  ["shortDenied", "sort --ignore-case f", "shell.denied-flag"],
  ["listed", "git commit --bogus -m x", "shell.unknown-option"],
  ["listed", "git commit -F /etc/shadow", "paths.not-allowed"],
  ["listed", "git commit --template=../outside/t -m x", "paths.not-allowed"],
  ["listed", "git push --receive-pack=sh origin", "git.unsafe-subcommand"],
  ["listed", "git push --receive=sh origin", "shell.inline-code"],
  ["listed", "git push --rec=sh origin", "shell.unknown-option"],
  ["listed", "git commit --allow-empty -m x", "allowed"],
  ["full", "git commit --bogus -m x", "allowed"],
]);
