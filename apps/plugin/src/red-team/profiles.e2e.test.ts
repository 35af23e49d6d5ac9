// Red team, over-blocking: a child profile whose tool entry leaves out `enabled` (it only narrows
// `constraints.allowedCommands`) used to make the whole child invalid, so every call was denied. It
// must merge into the parent's entry: the narrowed list works, and nothing outside it runs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RedTeam, startRedTeam } from "../test-support/red-team.js";

const parent = {
  categories: { filesystem: "full", execution: "full", network: "none" },
  tools: { bash: { enabled: true, constraints: { allowedCommands: ["ls", "cat", "touch"] } } },
};
/** Only narrows the parent's list: no `enabled`. */
const narrowOnly = { tools: { bash: { constraints: { allowedCommands: ["ls"] } } } };
const profiles = [
  { id: "lister-parent", kind: "session", purpose: "Parent of the narrowing children", permissions: parent },
  {
    id: "lister-proc",
    kind: "process",
    extends: "lister-parent",
    purpose: "Narrows bash to ls (process)",
    permissions: narrowOnly,
  },
  {
    id: "lister-session",
    kind: "session",
    extends: "lister-parent",
    purpose: "Narrows bash to ls (session)",
    permissions: narrowOnly,
  },
];
const WORKERS = ["lister-proc", "lister-session"] as const;

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({ name: "profiles", profiles, files: { "README.md": "# profiles\n" } });
  for (const id of WORKERS) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
});

afterAll(async () => {
  await rt?.stop();
});

describe.each(WORKERS)("%s: a child entry that only narrows allowedCommands", (id) => {
  it("lets a command of the narrowed list run", async () => {
    const out = await rt.workerCalls(id, "bash", { command: "ls", description: "list" });
    expect(out).not.toContain("Denied by Open Orchestra");
    expect(out).toContain("README.md");
  });

  it("denies a command the parent allows but the child's list leaves out, and it does not run", async () => {
    const marker = `made-by-${id}`;
    const out = await rt.workerCalls(id, "bash", { command: `touch ${marker}`, description: "touch" });
    expect(out).toContain("Denied by Open Orchestra");
    expect(out).toContain("[shell.not-allowed-command]");
    expect(existsSync(join(rt.project, marker))).toBe(false);
  });
});
