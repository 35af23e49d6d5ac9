import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { profilesFromConfig } from "./config-profiles.js";
import { loadProfileFiles, parseProfileMarkdown } from "./markdown-profiles.js";
import { formatProfileIssue } from "./profile-error.js";
import { createProfileRegistry } from "./registry.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "orchestra-profiles-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(rel: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, rel)), { recursive: true });
  await writeFile(join(dir, rel), text);
}

const REVIEWER = `---
name: reviewer
description: Reviews diffs for correctness and security.
extends: architect
tags: [review, security]
permissions:
  tools:
    bash:
      enabled: true
      constraints:
        allowedCommands: [git]
---

You review diffs. Report blocking issues first.
`;

describe("markdown profiles", () => {
  it("loads .opencode/agent/<id>.md and .opencode/skill/<id>/SKILL.md; the body is the system prompt", async () => {
    await put(".opencode/agent/reviewer.md", REVIEWER);
    await put(
      ".opencode/skill/pdf-reader/SKILL.md",
      "---\nname: pdf-reader\nmodel: auto:vision\n---\nRead PDFs.\n",
    );
    const loaded = await loadProfileFiles(dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.profiles.map((p) => [p.id, p.source])).toEqual([
      ["pdf-reader", { kind: "file", file: ".opencode/skill/pdf-reader/SKILL.md" }],
      ["reviewer", { kind: "file", file: ".opencode/agent/reviewer.md" }],
    ]);
    const reviewer = loaded.profiles[1]?.definition;
    expect(reviewer).toMatchObject({
      id: "reviewer",
      purpose: "Reviews diffs for correctness and security.",
      systemPrompt: "You review diffs. Report blocking issues first.",
      extends: "architect",
    });
  });

  it("reads .opencode/agents/ and .opencode/skills/ (OpenCode reads both spellings) with the same rule", async () => {
    await put(".opencode/agents/reviewer.md", REVIEWER);
    await put(".opencode/agents/helper.md", "---\ndescription: Helps\nmode: subagent\n---\nYou help.\n");
    await put(
      ".opencode/skills/pdf-reader/SKILL.md",
      "---\nname: pdf-reader\nmodel: auto:vision\n---\nRead PDFs.\n",
    );
    await put(
      ".opencode/skills/git-release/SKILL.md",
      "---\nname: git-release\ncompatibility: opencode\n---\n",
    );
    await put(".opencode/agents/bad.md", "---\nname: bad\nkind: thread\n---\n");
    const loaded = await loadProfileFiles(dir);
    expect(loaded.issues).toEqual([]);
    expect(
      loaded.profiles.map((p) => [p.id, p.source.kind === "file" ? p.source.file : "", p.issues.length]),
    ).toEqual([
      ["pdf-reader", ".opencode/skills/pdf-reader/SKILL.md", 0],
      ["bad", ".opencode/agents/bad.md", 1],
      ["reviewer", ".opencode/agents/reviewer.md", 0],
    ]);
  });

  it("fails closed when .opencode/agent/ and .opencode/agents/ define the same id", async () => {
    await put(".opencode/agent/reviewer.md", REVIEWER);
    await put(".opencode/agents/reviewer.md", REVIEWER);
    const reg = createProfileRegistry({ sources: [await loadProfileFiles(dir)] });
    const r = reg.tryResolveProfile("reviewer");
    expect(r.ok ? undefined : r.error.code).toBe("PROFILE_DUPLICATE");
    expect(r.ok ? "" : r.error.message).toContain(
      ".opencode/agent/reviewer.md, .opencode/agents/reviewer.md",
    );
  });

  it("resolves a file profile that extends a built-in, narrowing its shell list", async () => {
    await put(".opencode/agent/reviewer.md", REVIEWER);
    const reg = createProfileRegistry({ sources: [await loadProfileFiles(dir)] });
    const r = reg.resolveProfile("reviewer");
    expect(r.profile.permissions.categories).toEqual({
      filesystem: "read",
      execution: "sandboxed",
      network: "none",
    });
    expect(r.profile.permissions.tools.bash?.constraints.allowedCommands).toEqual(["git"]);
    expect(r.profile.model).toBe("auto:reasoning");
    expect(r.provenance.fields.systemPrompt).toEqual({ from: ["reviewer"], rule: "own" });
    expect(r.provenance.widenings).toEqual([]);
    expect(reg.enabledIds()).toContain("reviewer");
  });

  it("requires front-matter name to equal the id from the path", async () => {
    await put(".opencode/agent/reviewer.md", REVIEWER.replace("name: reviewer", "name: review"));
    const [p] = (await loadProfileFiles(dir)).profiles;
    expect(p?.definition).toBeUndefined();
    expect(p?.issues.map(formatProfileIssue)).toEqual([
      '.opencode/agent/reviewer.md: name: must equal the id the file path gives (got "review", expected "reviewer")',
    ]);
    expect(p?.issues[0]?.code).toBe("PROFILE_NAME_MISMATCH");
  });

  it("validates front-matter with the profile schema and names the file and JSON path", async () => {
    await put(
      ".opencode/agent/bad.md",
      "---\nname: bad\npermissions:\n  categories:\n    fileSystem: read\n    network: loopback\n---\nBody\n",
    );
    const [p] = (await loadProfileFiles(dir)).profiles;
    expect(p?.issues.map(formatProfileIssue)).toEqual([
      '.opencode/agent/bad.md: permissions.categories.network: invalid network level (got "loopback", expected one of "full", "localhost", "none")',
      '.opencode/agent/bad.md: permissions.categories.fileSystem: unknown key (keys are case-sensitive) (got "fileSystem", expected one of "filesystem", "execution", "network"); did you mean "filesystem"?',
    ]);
    const reg = createProfileRegistry({ sources: [{ profiles: [p as never], enabled: [], issues: [] }] });
    expect(reg.tryResolveProfile("bad").ok).toBe(false);
  });

  it("reports missing front-matter, broken YAML and a non-mapping front-matter", async () => {
    expect(parseProfileMarkdown("Just a prompt\n", "a", "a.md").issues[0]).toMatchObject({
      code: "PROFILE_FRONTMATTER",
      problem: "no YAML front-matter",
    });
    const broken = parseProfileMarkdown("---\nname: b\ntags: [unclosed\n---\n", "b", "b.md").issues[0];
    expect(broken?.code).toBe("PROFILE_FRONTMATTER");
    expect(broken?.problem).toMatch(/^YAML does not parse at front-matter line \d+/);
    expect(parseProfileMarkdown("---\n- a\n- b\n---\n", "c", "c.md").issues[0]?.problem).toBe(
      "front-matter is not a mapping",
    );
  });

  it("rejects a systemPrompt key (the body is the prompt) and accepts CRLF line ends", () => {
    expect(parseProfileMarkdown("---\nname: a\nsystemPrompt: x\n---\n", "a", "a.md").issues[0]?.path).toBe(
      "systemPrompt",
    );
    const crlf = parseProfileMarkdown("---\r\nname: a\r\nmodel: auto:fast\r\n---\r\nHello\r\n", "a", "a.md");
    expect(crlf.definition).toMatchObject({ id: "a", model: "auto:fast", systemPrompt: "Hello" });
  });

  it("rejects a file name that is not a valid id, and ignores missing directories", async () => {
    expect(await loadProfileFiles(dir)).toEqual({ profiles: [], enabled: [], issues: [] });
    await put(".opencode/agent/My Agent.md", "---\nname: My Agent\n---\n");
    const loaded = await loadProfileFiles(dir);
    expect(loaded.issues[0]).toMatchObject({ code: "PROFILE_INVALID", file: ".opencode/agent/My Agent.md" });
  });

  it("leaves OpenCode's own agent files alone: front-matter `mode: primary | subagent | all`", async () => {
    await put(".opencode/agent/reviewer.md", REVIEWER);
    // As OpenCode's docs write agents: no `name`, OpenCode's keys, any file name.
    await put(
      ".opencode/agent/helper.md",
      "---\ndescription: Helps\nmode: subagent\nmodel: anthropic/claude-sonnet-4\ntools:\n  write: false\n---\nYou help.\n",
    );
    await put(".opencode/agent/plan_Mode.md", "---\nmode: primary\npermission:\n  edit: deny\n---\nPlan.\n");
    await put(".opencode/agent/both.md", "---\ndescription: Both\nmode: all\n---\n");
    const loaded = await loadProfileFiles(dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.profiles.map((p) => [p.id, p.issues])).toEqual([["reviewer", []]]);
  });

  it("leaves OpenCode's skills alone: a SKILL.md with `license`, `compatibility` or `metadata` is OpenCode's", async () => {
    // OpenCode's documented skill example (packages/web/src/content/docs/skills.mdx).
    await put(
      ".opencode/skill/git-release/SKILL.md",
      "---\nname: git-release\ndescription: Create consistent releases and changelogs\nlicense: MIT\ncompatibility: opencode\nmetadata:\n  audience: maintainers\n  workflow: github\n---\n## What I do\n",
    );
    // Each key alone is enough, also where the rest would not be a valid profile (a long description).
    await put(".opencode/skill/lic/SKILL.md", "---\nname: lic\ndescription: x\nlicense: Apache-2.0\n---\n");
    await put(
      ".opencode/skill/long/SKILL.md",
      `---\nname: long\ndescription: ${"d".repeat(900)}\ncompatibility: opencode\n---\n`,
    );
    await put(".opencode/skill/meta/SKILL.md", "---\nname: meta\nmetadata:\n  a: b\n---\n");
    await put(
      ".opencode/skill/pdf-reader/SKILL.md",
      "---\nname: pdf-reader\nmodel: auto:vision\n---\nRead PDFs.\n",
    );
    const loaded = await loadProfileFiles(dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.profiles.map((p) => [p.id, p.issues])).toEqual([["pdf-reader", []]]);
  });

  it("leaves OpenCode agents without `mode` alone when they use a key only OpenCode's agent format has", async () => {
    const agents: Record<string, string> = {
      "perm.md": "---\ndescription: Reviews\npermission:\n  edit: deny\n---\nReview.\n",
      "hidden.md": "---\nname: hidden\nhidden: true\n---\n",
      "color.md": "---\ndescription: Colored\ncolor: '#FF5733'\ntemperature: 0.1\n---\n",
      "steps.md": "---\nsteps: 5\n---\n",
      "max_steps.md": "---\nmaxSteps: 5\n---\n",
      "top-p.md": "---\ntop_p: 0.9\n---\n",
      "variant.md": "---\nvariant: high\n---\n",
      "prompt.md": "---\nprompt: '{file:./p.txt}'\n---\n",
      "disable.md": "---\ndisable: true\n---\n",
      "options.md": "---\noptions:\n  reasoningEffort: high\n---\n",
    };
    for (const [file, text] of Object.entries(agents)) await put(`.opencode/agent/${file}`, text);
    await put(".opencode/agent/reviewer.md", REVIEWER);
    const loaded = await loadProfileFiles(dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.profiles.map((p) => [p.id, p.issues])).toEqual([["reviewer", []]]);
  });

  it("a SKILL.md without `name` says how to leave an OpenCode skill to OpenCode", async () => {
    await put(".opencode/skill/notes/SKILL.md", "---\ndescription: Take notes\n---\nNotes.\n");
    const [notes] = (await loadProfileFiles(dir)).profiles;
    expect(notes?.issues[0]).toMatchObject({ code: "PROFILE_NAME_MISMATCH", path: "name" });
    expect(formatProfileIssue(notes?.issues[0] as never)).toContain("compatibility: opencode");
  });

  it("a `mode` OpenCode does not know is not OpenCode's: the file is checked as a profile", async () => {
    await put(".opencode/agent/odd.md", "---\nname: odd\nmode: worker\n---\n");
    const [odd] = (await loadProfileFiles(dir)).profiles;
    expect(odd?.issues.map((i) => [i.code, i.path])).toEqual([["PROFILE_UNKNOWN_KEY", "mode"]]);
  });

  it("a file without `name` says how to leave an OpenCode agent to OpenCode", async () => {
    await put(".opencode/agent/plain.md", "---\ndescription: An OpenCode agent without a mode\n---\nHi.\n");
    const [plain] = (await loadProfileFiles(dir)).profiles;
    expect(plain?.issues[0]).toMatchObject({ code: "PROFILE_NAME_MISMATCH", path: "name" });
    expect(formatProfileIssue(plain?.issues[0] as never)).toContain("mode: all");
  });

  it("refuses a boolean tools map that would deny every call, unless permissions come from elsewhere", () => {
    const lone = parseProfileMarkdown(
      "---\nname: reader\ntools:\n  write: false\n---\nRead.\n",
      "reader",
      "r.md",
    );
    expect(lone.issues).toEqual([
      expect.objectContaining({
        code: "PROFILE_INVALID",
        file: "r.md",
        path: "tools",
        got: '{"write":false}',
      }),
    ]);
    expect(lone.issues[0]?.problem).toContain("would deny every call");
    for (const [id, extra] of [
      ["reader", "extends: explorer\n"],
      ["reader", "permissions:\n  categories:\n    filesystem: read\n"],
      ["docs", ""],
    ] as const) {
      const ok = parseProfileMarkdown(
        `---\nname: ${id}\n${extra}tools:\n  write: false\n---\nRead.\n`,
        id,
        "r.md",
      );
      expect(ok.issues).toEqual([]);
    }
  });

  it("fails closed when a file and the config define the same id", async () => {
    await put(".opencode/agent/reviewer.md", REVIEWER);
    const reg = createProfileRegistry({
      sources: [
        profilesFromConfig([{ id: "reviewer" }], { file: "orchestrator.json" }),
        await loadProfileFiles(dir),
      ],
    });
    const r = reg.tryResolveProfile("reviewer");
    expect(r.ok ? undefined : r.error.code).toBe("PROFILE_DUPLICATE");
    expect(r.ok ? "" : r.error.message).toContain(
      "orchestrator.json profiles[0], .opencode/agent/reviewer.md",
    );
  });
});
