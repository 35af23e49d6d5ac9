// Red team, finding F1 (security review of issues 11/13): a sandboxed worker's script creates a symlink
// in the (writable) project and flips it while the worker's model calls `write`/`read` on the same path.
// Orchestra's check and OpenCode's rules see an allowed, missing project file; the tool then opens the
// path in the unsandboxed OpenCode server and follows the link: a write lands in the user's global
// OpenCode config (a plugin planted there runs unsandboxed in the next OpenCode), a read returns a file
// the worker may not read. The fix refuses symlink creation inside the sandbox (a seccomp filter), so
// the primitive is gone: `ln -s` and `fs.symlinkSync` fail with EPERM and the flipper creates nothing.
import { existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { reply, trailingToolResults } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

/** The built-in coder's categories: a writable project, a sandboxed shell. */
const profiles = [
  {
    id: "sbx-coder",
    kind: "process",
    purpose: "Sandboxed coder",
    permissions: { categories: { filesystem: "full", execution: "sandboxed", network: "localhost" } },
  },
];
/** `race <ms> <json calls>`: the worker's model answers with all these tool calls in one reply. */
const RACE = /^race (\d+) (\[.*\])$/s;
const SECRET = "OUTSIDE-SECRET-f1-red-team";
const WRITES = 30;

let rt: RedTeam;
/** The user's global OpenCode config file the attack plants a plugin into (absent at the start). */
let userConfig = "";
let secretFile = "";

beforeAll(async () => {
  rt = await startRedTeam({
    name: "symlink",
    profiles,
    git: true,
    files: {
      "README.md": "# symlink race\n",
      // Creates a symlink with Node (no shell involved), prints the outcome.
      "mklink.js": `const fs = require("node:fs");
const target = fs.readFileSync(process.argv[2], "utf8").trim();
try { fs.symlinkSync(target, process.argv[3]); console.log("NODE-SYMLINK-OK"); }
catch (e) { console.log("NODE-SYMLINK-" + e.code); }
`,
      // The reviewer's flipper: p alternates between absent and a symlink to the path in the file
      // argv[2] (a path the command line itself may not name), for argv[3] ms.
      "flip.js": `const fs = require("node:fs");
const target = fs.readFileSync(process.argv[2], "utf8").trim();
const end = Date.now() + Number(process.argv[3]);
let made = 0, refused = "none";
while (Date.now() < end) {
  try { fs.symlinkSync(target, "p"); made++; } catch (e) { refused = e.code; }
  for (let i = 0; i < 3000; i++) {}
  try { fs.unlinkSync("p"); } catch {}
  for (let i = 0; i < 3000; i++) {}
}
console.log("FLIP made=" + made + " refused=" + refused);
`,
    },
    outsideFiles: { "secret.txt": `${SECRET}\n` },
    rules: [
      {
        userText: RACE,
        toolsOffered: true,
        anyTool: true,
        reply: (req) => {
          const [, delay = "0", json = "[]"] = RACE.exec(req.lastUserText ?? "") ?? [];
          return reply.toolCalls(JSON.parse(json), { chunkDelayMs: Number(delay) });
        },
      },
    ],
  });
  userConfig = join(rt.opencode.configDir, "opencode.jsonc");
  secretFile = join(rt.outside, "secret.txt");
  writeFileSync(join(rt.project, "t-config.txt"), `${userConfig}\n`);
  writeFileSync(join(rt.project, "t-secret.txt"), `${secretFile}\n`);
  expect(existsSync(userConfig)).toBe(false);
  const spawned = await rt.spawn("sbx-coder").catch((e: unknown) => {
    throw new Error(`${String(e)}\n${rt.opencode.output()}`);
  });
  expect(spawned).toMatchObject({ id: "sbx-coder", status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

const exists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Ask the worker to make all `calls` in one reply; returns each call's output, in call order. */
async function race(calls: { name: string; args: Record<string, unknown> }[]): Promise<string[]> {
  const before = rt.model.requests.length;
  const message = `race 50 ${JSON.stringify(calls)}`;
  const result = await rt.opencode.client.session.prompt({
    sessionID: rt.sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text: `call ask_worker ${JSON.stringify({ id: "sbx-coder", message })}` }],
  });
  expect(result.error).toBeUndefined();
  const answered = rt.model.requests
    .slice(before)
    .map((r) => trailingToolResults(r.messages))
    .find((results) => results.length === calls.length);
  expect(answered, "the worker's model got no results for its calls").toBeDefined();
  return (answered ?? []).map((r) => r.content);
}

describe("a sandboxed coder cannot create a symlink (the race's primitive)", () => {
  it("`ln -s` and fs.symlinkSync fail with EPERM and leave nothing; ordinary file ops and git work", async () => {
    const out = await rt.workerCalls("sbx-coder", "bash", {
      command: `ln -s t-config.txt p1; node mklink.js t-config.txt p2; echo made > plain.txt; mv plain.txt moved.txt; git status --short`,
      description: "make symlinks",
    });
    expect(out).not.toContain("Denied by Open Orchestra");
    expect(out).toContain("ln: failed to create symbolic link 'p1': Operation not permitted");
    expect(out).toContain("NODE-SYMLINK-EPERM");
    expect(out).toContain("?? moved.txt");
    expect(exists(join(rt.project, "p1"))).toBe(false);
    expect(exists(join(rt.project, "p2"))).toBe(false);
    expect(readFileSync(join(rt.project, "moved.txt"), "utf8")).toBe("made\n");
  });
});

describe("the TOCTOU race of the reviewer (a flipper script and parallel file tools on the same path)", () => {
  it(`${WRITES} writes of p while p flips to a symlink into the user's OpenCode config: the config is untouched`, async () => {
    const calls = [
      { name: "bash", args: { command: "node flip.js t-config.txt 15000", description: "flip" } },
      ...Array.from({ length: WRITES }, (_, i) => ({
        name: "write",
        args: {
          filePath: join(rt.project, "p"),
          content: `{"plugin":["file://${rt.project}/evil.js"]}${" ".repeat(i)}\n`,
        },
      })),
    ];
    const outs = await race(calls);
    expect.soft(outs[0]).toContain("FLIP made=0 refused=EPERM");
    expect(existsSync(userConfig), `the write went through the link:\n${outs.join("\n")}`).toBe(false);
    expect(exists(join(rt.project, "p")) && lstatSync(join(rt.project, "p")).isSymbolicLink()).toBe(false);
  });

  it(`${WRITES} reads of p while p flips to a symlink to a file outside the project: the file is never read`, async () => {
    const calls = [
      { name: "bash", args: { command: "node flip.js t-secret.txt 15000", description: "flip" } },
      ...Array.from({ length: WRITES }, (_, i) => ({
        name: "read",
        args: { filePath: join(rt.project, "p"), limit: 100 + i },
      })),
    ];
    const outs = await race(calls);
    expect.soft(outs[0]).toContain("FLIP made=0 refused=EPERM");
    expect(outs.filter((out) => out.includes(SECRET)).length, "reads that returned the secret").toBe(0);
  });
});
