// Red team, issue 11 item 1: patch headers. OpenCode's own `apply_patch` parser trims what follows
// `*** Add File:` (and `Update File:`, `Delete File:`, `Move to:`), so `*** Add File:path` without a
// space is a header. The checker used to know only the spelling with a space: a patch with one spaced,
// harmless header and one unspaced `.opencode/plugin/evil.js` passed, and OpenCode wrote both. Workers
// run a model id with `gpt-`, the only models OpenCode offers `apply_patch` to.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

const writer = { categories: { filesystem: "full", execution: "none", network: "none" } };
const profiles = [
  {
    id: "patch-proc",
    kind: "process",
    purpose: "Patches files (process)",
    model: "scripted/gpt-5-fake",
    permissions: writer,
  },
  {
    id: "patch-session",
    kind: "session",
    purpose: "Patches files (session)",
    model: "scripted/gpt-5-fake",
    permissions: writer,
  },
];
const WORKERS = ["patch-proc", "patch-session"] as const;
const ORIGINAL = "export const a = 1;\n";

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "patch",
    profiles,
    models: [{ id: "gpt-5-fake", name: "GPT-5 Fake" }],
    git: true,
    files: { "src/a.ts": ORIGINAL },
  });
  for (const id of WORKERS) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

const wrap = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
const patch = (id: string, patchText: string) => rt.workerCalls(id, "apply_patch", { patchText });

describe.each(WORKERS)("%s: apply_patch headers in every spelling OpenCode reads", (id) => {
  it("writes a harmless file through an unspaced header (OpenCode reads it, so the attack is real)", async () => {
    const out = await patch(id, wrap(`*** Add File:src/unspaced-${id}.ts`, "+export const ok = true;"));
    expect(out).not.toContain("Denied by Open Orchestra");
    expect(readFileSync(join(rt.project, "src", `unspaced-${id}.ts`), "utf8")).toBe(
      "export const ok = true;\n",
    );
  });

  const evil = (tag: string) => `.opencode/plugin/evil-${id}-${tag}.js`;
  const attacks: [name: string, tag: string, text: (target: string) => string][] = [
    [
      "a spaced cover header and an unspaced plugin header",
      "nospace",
      (t) =>
        wrap(`*** Add File: src/cover.ts`, "+x", `*** Add File:${t}`, "+export default async () => ({})"),
    ],
    ["a tab instead of the space", "tab", (t) => wrap(`*** Add File:\t${t}`, "+x")],
    ["a non-breaking space", "nbsp", (t) => wrap(`*** Add File:\u00a0${t}`, "+x")],
    [
      "an unspaced move target",
      "move",
      (t) => wrap("*** Update File:src/a.ts", `*** Move to:${t}`, "@@", "-export const a = 1;", "+x"),
    ],
    ["CRLF line endings", "crlf", (t) => wrap(`*** Add File:${t}`, "+x").replaceAll("\n", "\r\n")],
    ["a heredoc wrapper", "heredoc", (t) => `cat <<'EOF'\n${wrap(`*** Add File:${t}`, "+x")}\nEOF`],
  ];
  it.each(attacks)("denies %s, and the plugin file is not written", async (_name, tag, text) => {
    const out = await patch(id, text(evil(tag)));
    expect(out).toContain("Denied by Open Orchestra");
    expect(out).toContain("[paths.control-file]");
    expect(existsSync(join(rt.project, evil(tag)))).toBe(false);
    expect(existsSync(join(rt.project, "src", "cover.ts"))).toBe(false);
    expect(readFileSync(join(rt.project, "src", "a.ts"), "utf8")).toBe(ORIGINAL);
  });

  it("denies a header-like line OpenCode would not read, as unparsable", async () => {
    const out = await patch(
      id,
      wrap("*** Add File: src/cover.ts", "+x", ` *** Add File: ${evil("indented")}`, "+y"),
    );
    expect(out).toContain("Denied by Open Orchestra");
    expect(out).toContain("[patch.unparsable]");
    expect(existsSync(join(rt.project, evil("indented")))).toBe(false);
    expect(existsSync(join(rt.project, "src", "cover.ts"))).toBe(false);
  });
});

describe.each(WORKERS)("%s: apply_patch to control files", (id) => {
  const targets = [
    "orchestrator.json",
    ".opencode/orchestrator.json",
    ".git/commondir",
    ".git/config",
    ".git/hooks/pre-commit",
    ".git/info/attributes",
    ".git/worktrees/x/gitdir",
  ];
  it.each(targets)("denies adding or deleting %s, and it stays as it was", async (target) => {
    const file = join(rt.project, target);
    const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    for (const text of [
      wrap(`*** Add File: ${target}`, "+[core]", "+\tfsmonitor = touch /tmp/pwned"),
      wrap(`*** Delete File:${target}`),
    ]) {
      const out = await patch(id, text);
      expect(out).toContain("Denied by Open Orchestra");
      expect(out).toContain("[paths.control-file]");
      expect(existsSync(file) ? readFileSync(file, "utf8") : undefined).toBe(before);
    }
  });
});
