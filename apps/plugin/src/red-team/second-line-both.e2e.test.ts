// Red team, issue 11 item 6, positive control for `second-line.e2e.test.ts`: the same attacks with both
// lines on (the plugin's hook first, then OpenCode's compiled permission) are still denied, now by the
// plugin, and the same benign calls pass both lines, so the compiled config does not over-deny.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";
import {
  MARK,
  OPENCODE_DENIED,
  OUTSIDE_TARGET,
  SECOND_LINE_WORKERS,
  SHELL_ATTACKS,
  secondLineSetup,
  WRITE_TARGETS,
} from "../test-support/second-line.js";

let rt: RedTeam;
const before = new Map<string, string | undefined>();
const ALL = [...SECOND_LINE_WORKERS.files, ...SECOND_LINE_WORKERS.patch];

beforeAll(async () => {
  rt = await startRedTeam(secondLineSetup("second-line-both"));
  for (const id of ALL) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
  for (const rel of WRITE_TARGETS) {
    const file = join(rt.project, rel);
    before.set(rel, existsSync(file) ? readFileSync(file, "utf8") : undefined);
  }
});

afterAll(async () => {
  await rt?.stop();
});

function unchanged(rel: string): void {
  const file = join(rt.project, rel);
  const was = before.get(rel);
  if (was === undefined) expect(existsSync(file), `${rel} was created`).toBe(false);
  else expect(readFileSync(file, "utf8"), `${rel} was changed`).toBe(was);
}

/** Passed both lines: neither the plugin nor OpenCode refused it. */
function passed(out: string): void {
  expect(out).not.toContain("Denied by Open Orchestra");
  expect(out).not.toContain(OPENCODE_DENIED);
}

describe.each(SECOND_LINE_WORKERS.files)("%s: with both lines, attacks are denied", (id) => {
  it.each(WRITE_TARGETS)("write to %s", async (rel) => {
    const out = await rt.workerCalls(id, "write", { filePath: join(rt.project, rel), content: MARK });
    expect(out).toContain("Denied by Open Orchestra");
    unchanged(rel);
  });

  it("write outside the project", async () => {
    const target = join(rt.outside, `${id}-${OUTSIDE_TARGET}`);
    expect(await rt.workerCalls(id, "write", { filePath: target, content: MARK })).toContain(
      "Denied by Open Orchestra",
    );
    expect(existsSync(target)).toBe(false);
  });

  it("read of a denied file", async () => {
    const out = await rt.workerCalls(id, "read", { filePath: join(rt.project, ".env") });
    expect(out).toContain("Denied by Open Orchestra");
    expect(out).not.toContain("second-line-env-secret");
  });

  it.each(SHELL_ATTACKS)("shell: %s", async (what, command, marker) => {
    const out = await rt.workerCalls(id, "bash", { command: command(rt.outside), description: what });
    expect(out).toContain("Denied by Open Orchestra");
    expect(out).not.toContain("second-line-outside-secret");
    if (marker) expect(existsSync(join(rt.project, marker)), what).toBe(false);
  });
});

describe.each(SECOND_LINE_WORKERS.files)("%s: with both lines, benign calls pass", (id) => {
  it("read, write and edit inside the project", async () => {
    const readme = await rt.workerCalls(id, "read", { filePath: join(rt.project, "README.md") });
    passed(readme);
    expect(readme).toContain("# second line");
    const file = join(rt.project, "src", `${id}.ts`);
    passed(await rt.workerCalls(id, "write", { filePath: file, content: "ok\n" }));
    passed(await rt.workerCalls(id, "edit", { filePath: file, oldString: "ok", newString: "edited" }));
    expect(readFileSync(file, "utf8")).toBe("edited\n");
  });

  it("listed shell commands", async () => {
    const cat = await rt.workerCalls(id, "bash", { command: "cat README.md", description: "x" });
    passed(cat);
    expect(cat).toContain("# second line");
    passed(await rt.workerCalls(id, "bash", { command: "git status --short", description: "x" }));
    const ls = await rt.workerCalls(id, "bash", { command: "ls src | cat", description: "x" });
    passed(ls);
    expect(ls).toContain("a.ts");
  });
});

describe.each(SECOND_LINE_WORKERS.patch)("%s: with both lines, patches", (id) => {
  const wrap = (...lines: string[]) => ["*** Begin Patch", ...lines, "*** End Patch"].join("\n");
  it("a patch adding a plugin at the root-level .opencode/ is denied", async () => {
    const out = await rt.workerCalls(id, "apply_patch", {
      patchText: wrap("*** Add File: .opencode/plugin/second-line.js", `+${MARK}`),
    });
    expect(out).toContain("Denied by Open Orchestra");
    unchanged(".opencode/plugin/second-line.js");
  });

  it("a benign patch passes", async () => {
    passed(
      await rt.workerCalls(id, "apply_patch", { patchText: wrap(`*** Add File: src/${id}.ts`, "+patched") }),
    );
    expect(readFileSync(join(rt.project, "src", `${id}.ts`), "utf8")).toBe("patched\n");
  });
});
