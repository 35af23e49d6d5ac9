import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "./check.js";
import type { Permissions } from "./schema.js";
import { MAX_SCOPE_ENTRIES } from "./search-scope.js";
import { makeTree, type TestTree } from "./test-tree.js";

let t: TestTree;
const coder: Permissions = {
  categories: { filesystem: "full", execution: "sandboxed", network: "none" },
  paths: { denied: ["**/.env"] },
};

beforeAll(() => {
  t = makeTree(
    { "small/a.txt": "a", "deep/x/y/z/.env": "SECRET", "loop/": "" },
    { "secret.txt": "s" },
    { "loop/self": ".", "linked/out": "../../outside", "linked2/in": "../small" },
  );
  const big = join(t.project, "big");
  mkdirSync(big);
  for (let i = 0; i <= MAX_SCOPE_ENTRIES; i++) writeFileSync(join(big, `f${i}`), "");
});
afterAll(() => t.remove());

const run = (command: string) => check(coder, { tool: "bash", args: { command } }, t.ctx);

describe("the bounded walk behind recursive reads", () => {
  it("finds a denied file at any depth", () => {
    const d = run("grep -r x deep");
    expect(d.rule, d.reason).toBe("paths.denied");
    expect(d.reason).toContain("deep/x/y/z/.env");
  });

  it("fails closed past the entry cap, saying why and what to do", () => {
    const d = run("grep -r x big");
    expect(d.rule, d.reason).toBe("paths.too-broad");
    expect(d.reason).toContain(`more than ${MAX_SCOPE_ENTRIES}`);
    expect(d.reason).toContain("Allowed instead:");
  });

  it("follows links only for readers that follow them, and survives link loops", () => {
    expect(run("grep -r x loop linked").decision).toBe("allow");
    expect(run("grep -R x loop").decision).toBe("allow");
    expect(run("grep -R x linked2").decision).toBe("allow");
    const d = run("grep -R x linked");
    expect(d.rule, d.reason).toBe("paths.not-allowed");
    expect(d.reason).toContain("links to");
  });

  it("a missing directory covers nothing", () => {
    expect(run("grep -r x no-such-dir small").decision).toBe("allow");
  });
});
