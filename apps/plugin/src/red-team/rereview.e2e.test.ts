// Black-box re-review (issue 11, after the review fixes): variants of the fixed bypasses, for
// process and session workers. Each attack is refused and its side effect (a file written, a secret
// printed) is absent; the benign forms the re-review found over-blocked pass.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSED, type RedTeam, startRedTeam } from "../test-support/red-team.js";

const DENIED = ["**/.env", "secrets/**"];
const ENV_SECRET = "rereview-env-secret-7f3a";
const JSON_SECRET = "rereview-json-secret-19c2";
const OUTSIDE_SECRET = "rereview-outside-secret-55e1";

/** Full file access, a trusted shell limited to an allowlist, no network. */
const ALLOWLIST = {
  categories: { filesystem: "full", execution: "full", network: "none" },
  tools: {
    bash: {
      enabled: true,
      constraints: { allowedCommands: ["ls", "cat", "echo", "git", "grep", "sed", "sort"] },
    },
  },
  paths: { denied: DENIED },
};
/** Read-only files, a trusted shell, no network. */
const READ_FULL = {
  categories: { filesystem: "read", execution: "full", network: "none" },
  paths: { denied: DENIED },
};

const KINDS = ["process", "session"] as const;
const worker = (group: string, kind: string) => `rr-${group}-${kind}`;

let rt: RedTeam;

beforeAll(async () => {
  const profiles = [];
  for (const [group, permissions] of [
    ["allow", ALLOWLIST],
    ["rf", READ_FULL],
  ] as const) {
    for (const kind of KINDS) {
      profiles.push({ id: worker(group, kind), kind, purpose: `rereview ${group} (${kind})`, permissions });
    }
  }
  rt = await startRedTeam({
    name: "rereview",
    git: true,
    profiles,
    files: {
      "README.md": "# rereview\n",
      ".env": `TOKEN=${ENV_SECRET}\n`,
      "secrets/creds.json": `{"key":"${JSON_SECRET}"}\n`,
    },
    outsideFiles: { "secret.json": `{"key":"${OUTSIDE_SECRET}"}\n` },
  });
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", rt.project, "-c", "user.name=t", "-c", "user.email=t@t", ...args]);
  git("add", "README.md");
  git("commit", "-qm", "init");
  for (const profile of profiles) await rt.spawn(profile.id);
});

afterAll(async () => {
  await rt?.stop();
});

const inProject = (rel: string) => join(rt.project, rel);
const noSecret = (out: string) => {
  for (const secret of [ENV_SECRET, JSON_SECRET, OUTSIDE_SECRET]) expect(out).not.toContain(secret);
};

describe.each(KINDS)("re-review: %s worker", (kind) => {
  const allow = worker("allow", kind);
  const rf = worker("rf", kind);

  it("read-full: printf -v / wait -p subscripts do not run code", async () => {
    const attacks = [
      `printf -v 'a[$(cat .env >&2; touch pwned-printf-${kind})]' %s 1`,
      `cat README.md > /dev/null & wait -p 'a[$(cat .env >&2; touch pwned-wait-${kind})]' -n`,
    ];
    for (const command of attacks) {
      const out = await rt.workerCalls(rf, "bash", { command });
      expect(out).toMatch(REFUSED);
      noSecret(out);
    }
    for (const name of ["printf", "wait"]) expect(existsSync(inProject(`pwned-${name}-${kind}`))).toBe(false);
  });

  it("read-full: jq module imports do not read denied or outside JSON", async () => {
    const attacks = [
      `jq -n 'import "secrets/creds" as $c; $c'`,
      `jq -n 'import "../outside/secret" as $c; $c'`,
    ];
    for (const command of attacks) {
      const out = await rt.workerCalls(rf, "bash", { command });
      expect(out).toMatch(REFUSED);
      noSecret(out);
    }
    const benign = await rt.workerCalls(rf, "bash", { command: "jq -n --rawfile a README.md '$a'" });
    expect(benign).not.toMatch(REFUSED);
    expect(benign).toContain("# rereview");
  });

  it("allowlist: git archive -o<file> / --outp= does not write control, denied or outside files", async () => {
    const targets = [
      [`-otui.json`, "tui.json"],
      [`--outp=.opencode/arch-${kind}.tar`, `.opencode/arch-${kind}.tar`],
      [`-osecrets/arch-${kind}.tar`, `secrets/arch-${kind}.tar`],
      [`-o../outside/arch-${kind}.tar`, `../outside/arch-${kind}.tar`],
    ] as const;
    for (const [opt, file] of targets) {
      const command = `git archive ${opt} HEAD`;
      const out = await rt.workerCalls(allow, "bash", { command });
      expect(out).toMatch(REFUSED);
      expect(existsSync(inProject(file))).toBe(false);
    }
  });

  it("allowlist: git format-patch -o<dir> does not write into .opencode or outside", async () => {
    for (const [opt, dir] of [
      [`-o.opencode/command-${kind}`, `.opencode/command-${kind}`],
      [`-no.opencode/command-n-${kind}`, `.opencode/command-n-${kind}`],
      [`--output-directory=.opencode/command-d-${kind}`, `.opencode/command-d-${kind}`],
      [`-o../outside/fp-${kind}`, `../outside/fp-${kind}`],
    ] as const) {
      const command = `git format-patch -1 --suffix=.md ${opt}`;
      const out = await rt.workerCalls(allow, "bash", { command });
      expect(out, command).toMatch(REFUSED);
      expect(existsSync(inProject(dir)), dir).toBe(false);
    }
  });

  it("git ls-files -X<denied> is refused", async () => {
    for (const id of [allow, rf]) {
      const out = await rt.workerCalls(id, "bash", { command: "git ls-files -o -i -X.env" });
      expect(out).toMatch(REFUSED);
      noSecret(out);
    }
  });

  it("allowlist: package-manager config that runs code is not written", async () => {
    const files = [".yarnrc.yml", ".yarnrc", ".pnpmfile.cjs", "pnpm-workspace.yaml", ".yarn/plugins/p.cjs"];
    for (const file of files) {
      const wrote = await rt.workerCalls(allow, "write", { filePath: inProject(file), content: "x\n" });
      expect(wrote, file).toMatch(REFUSED);
      const echoed = await rt.workerCalls(allow, "bash", { command: `echo 'yarnPath: ./x.js' > ${file}` });
      expect(echoed, file).toMatch(REFUSED);
      expect(existsSync(inProject(file)), file).toBe(false);
    }
  });

  it("read-full: substrings with literal offsets pass (over-blocking)", async () => {
    const loop = await rt.workerCalls(rf, "bash", {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test
      command: "for f in *.md; do echo ${f:0:2} ${f:1} ${f: -3}; done",
    });
    expect(loop).not.toMatch(REFUSED);
    expect(loop).toContain("RE EADME.md .md");
  });

  // The server password would let the worker drive its own server (`/session/:id/shell` skips the
  // plugin's check); the plugin's shell.env hook blanks it, and the orchestrator's secret is never there.
  it("the shell's environment carries no server password and no orchestrator secret", async () => {
    const out = await rt.workerCalls(rf, "bash", {
      command:
        'echo "pw=[$OPENCODE_SERVER_PASSWORD] key=[$ORCHESTRA_ENFORCEMENT_KEY] secret=[$ORCHESTRA_WORKER_SECRET]"',
    });
    expect(out).not.toMatch(REFUSED);
    expect(out).toContain("pw=[] key=[] secret=[]");
  });
});
