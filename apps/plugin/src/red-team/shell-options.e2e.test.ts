// Red team, issue 11 item 8: checker gaps in the shell analysis, closed by option tables. Each
// command passed check() before and real bash confirmed its effect (a file written outside, a
// program run by sort/tar, a secret read through an option value, a git config key that runs a
// hook, a commit that skips its hooks). Run for a process worker with an allowlist (restricted
// although every category is full) and for a session worker with `filesystem: read` in the sandbox.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

const LISTED = ["ls", "cat", "grep", "sed", "sort", "tar", "diff", "cp", "mv", "dd", "git"];
const SECRET = "outside-secret-value";

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "shell-options",
    git: true,
    profiles: [
      {
        id: "opt-proc",
        kind: "process",
        purpose: "Allowlisted shell (process)",
        permissions: {
          categories: { filesystem: "full", execution: "full", network: "full" },
          tools: {
            bash: {
              enabled: true,
              constraints: { allowedCommands: LISTED, deniedFlags: ["--no-verify", "--force"] },
            },
          },
          // The secret is outside the project (so already not allowed) and denied by name too.
          paths: { denied: ["**/secret.txt"] },
        },
      },
      {
        id: "opt-session",
        kind: "session",
        purpose: "Read-only sandboxed shell (session)",
        permissions: { categories: { filesystem: "read", execution: "sandboxed", network: "none" } },
      },
    ],
    files: {
      "README.md": "# shell options\n",
      "big.txt": `${Array.from({ length: 200_000 }, (_, i) => String(i)).join("\n")}\n`,
      // Leaves a marker when any program runs it.
      "mark.sh": '#!/bin/sh\ntouch "$(dirname "$0")/ran-$1"\ncat\n',
    },
    outsideFiles: { "secret.txt": `${SECRET}\n` },
  });
  chmodSync(join(rt.project, "mark.sh"), 0o755);
  execFileSync("tar", ["-cf", "a.tar", "README.md"], { cwd: rt.project });
  for (const id of ["opt-proc", "opt-session"])
    expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

function markers(): string[] {
  return readdirSync(rt.project).filter((f) => f.startsWith("ran-"));
}

async function attack(id: string, command: string): Promise<string> {
  const out = await rt.workerCalls(id, "bash", { command, description: "red team" });
  expect(out, command).toContain("Denied by Open Orchestra");
  expect(out, command).toMatch(/Allowed instead: \S/);
  expect(out, command).not.toContain(SECRET);
  expect(markers(), command).toEqual([]);
  expect(readdirSync(rt.outside).sort(), command).toEqual(["secret.txt"]);
  return out;
}

describe.each(["opt-proc", "opt-session"])("%s", (id) => {
  it("sed `w` in an address range writes nothing outside", async () => {
    await attack(id, "sed -n '1,$w ../outside/x' README.md");
    await attack(id, "sed 's/#/x/w ../outside/y' README.md");
  });

  it("an abbreviated sort --output writes nothing outside", async () => {
    await attack(id, "sort --outp=../outside/x README.md");
  });

  it("sort --compress-program runs nothing", async () => {
    const out = await attack(id, "sort -S 16k --compress-program=./mark.sh big.txt");
    expect(out).toMatch(/shell\.inline-code|compress-program/);
  });

  it("tar --to-command and --checkpoint-action=exec run nothing", async () => {
    await attack(id, "tar --to-command='./mark.sh tar' -xf a.tar README.md");
    await attack(id, "tar --checkpoint=1 --checkpoint-action=exec='./mark.sh ckpt' -cf b.tar README.md");
    expect(existsSync(join(rt.project, "b.tar"))).toBe(false);
  });

  it("diff --from-file does not read the secret outside", async () => {
    await attack(id, `diff --from-file=${join(rt.outside, "secret.txt")} README.md`);
  });

  it("cp -t<dir> copies nothing outside", async () => {
    await attack(id, `cp -t${rt.outside} README.md`);
  });

  it("dd if=<secret> copies nothing", async () => {
    await attack(id, `dd if=${join(rt.outside, "secret.txt")} of=copy`);
    expect(existsSync(join(rt.project, "copy"))).toBe(false);
  });

  it("git config core.hooksPath list is a write of core.hooksPath, denied", async () => {
    const out = await attack(id, "git config core.hooksPath list");
    expect(out).toMatch(/git\.config-write|filesystem\.read-only/);
    expect(readFileSync(join(rt.project, ".git", "config"), "utf8")).not.toMatch(/hookspath/i);
  });

  it("git commit -n (--no-verify) makes no commit", async () => {
    await attack(id, "git commit -n --allow-empty -m x");
    const commits = execFileSync("git", ["rev-list", "--all"], { cwd: rt.project, encoding: "utf8" });
    expect(commits).toBe("");
  });
});

describe("the benign forms still run", () => {
  it("sed, sort and diff read the project for the process worker", async () => {
    const ok = await rt.workerCalls("opt-proc", "bash", {
      command: "sed -n '1p' README.md && sort README.md && diff README.md README.md",
      description: "benign",
    });
    expect(ok).not.toContain("Denied by Open Orchestra");
    expect(ok).toContain("# shell options");
  });
});
