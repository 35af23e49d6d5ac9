// Red team, issue 11 item 5: no route may return a denied file's bytes. A worker whose profile denies
// `**/.env`, `**/*.key` and everything outside the project tries OpenCode's grep tool over the project,
// shell globs (`cat .en? config/*.key`), brace expansion reaching outside
// (`cat {<outside>/secret.txt,README.md}`), recursive grep and `git grep --untracked`. Every attempt
// must be denied before it runs, and no secret may reach the worker's model. The benign forms (a
// recursive search of a directory without denied files, `cat *.md`, the grep tool on `src`) still run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

const SECRETS = ["search-env-secret", "search-key-secret", "search-outside-secret"];

let rt: RedTeam;

// `../outside/**` is `<outside>/**`: relative denied globs are resolved from the project root.
const permissions = (execution: string) => ({
  categories: { filesystem: "read", execution, network: "none" },
  tools: { bash: { enabled: true, constraints: { allowedCommands: ["ls", "cat", "grep", "git"] } } },
  paths: { denied: ["**/.env", "**/*.key", "../outside/**"] },
});

const WORKERS = ["search-proc", "search-session"] as const;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "search",
    git: true,
    profiles: [
      { id: "search-proc", kind: "process", purpose: "Search (process)", permissions: permissions("full") },
      {
        id: "search-session",
        kind: "session",
        purpose: "Search (session)",
        permissions: permissions("sandboxed"),
      },
    ],
    files: {
      ".env": "TOKEN=search-env-secret\n",
      "config/server.key": "-----BEGIN KEY----- search-key-secret\n",
      "config/app.json": '{ "name": "app" }\n',
      "src/a.ts": "// TODO: benign search result\nexport const a = 1;\n",
      "README.md": "# search readme benign\n",
    },
    outsideFiles: { "secret.txt": "search-outside-secret\n" },
  });
  for (const id of WORKERS) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

function expectDenied(out: string, rule: string): void {
  expect(out).toContain("Denied by Open Orchestra");
  expect(out).toContain(`[${rule}]`);
  for (const s of SECRETS) expect(out).not.toContain(s);
}

describe.each(WORKERS)("%s: denied files stay unread by every search route", (id) => {
  it("the grep tool over the project is denied (it would search .env and config/server.key)", async () => {
    const out = await rt.workerCalls(id, "grep", { pattern: "secret", path: "." });
    expectDenied(out, "paths.denied");
  });

  it("the grep tool given a file searches its whole directory: denied too", async () => {
    const out = await rt.workerCalls(id, "grep", { pattern: "secret", path: "README.md" });
    expectDenied(out, "paths.denied");
  });

  it("`cat .en? config/*.key` is denied (globs are expanded and every match checked)", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "cat .en? config/*.key", description: "x" });
    expectDenied(out, "paths.denied");
  });

  it("`cat {<outside>/secret.txt,README.md}` is denied (brace expansion)", async () => {
    const command = `cat {${rt.outside}/secret.txt,README.md}`;
    const out = await rt.workerCalls(id, "bash", { command, description: "x" });
    expectDenied(out, "paths.denied");
  });

  it("`grep -r . .` is denied (every file beneath is checked)", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "grep -r . .", description: "x" });
    expectDenied(out, "paths.denied");
  });

  it("`git grep -e . --untracked` is denied", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "git grep -e . --untracked", description: "x" });
    expectDenied(out, "paths.denied");
  });

  it("benign: `grep -r TODO src` runs and finds the line", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "grep -r TODO src", description: "x" });
    expect(out).not.toContain("Denied by Open Orchestra");
    expect(out).toContain("benign search result");
  });

  it("benign: `cat *.md` runs", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "cat *.md", description: "x" });
    expect(out).not.toContain("Denied by Open Orchestra");
    expect(out).toContain("search readme benign");
  });

  it("benign: the grep tool on `src` runs and finds the line", async () => {
    const out = await rt.workerCalls(id, "grep", { pattern: "TODO", path: "src" });
    expect(out).not.toContain("Denied by Open Orchestra");
    // The tool really ran (ripgrep is installed by the test setup): it names the match.
    expect(out).toContain("benign search result");
    for (const s of SECRETS) expect(out).not.toContain(s);
  });
});
