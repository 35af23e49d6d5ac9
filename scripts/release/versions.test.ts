import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The version policy (RELEASING.md): every published package is in one changesets `fixed` group and
// the changesets in .changeset/ take it to 0.3.0. `changeset version` runs on a copy of what a clean
// checkout holds (root manifest, pnpm-workspace.yaml, .changeset/, every workspace package's
// package.json and CHANGELOG.md), never on this tree.

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");
const RELEASE = "0.3.0";
const copy = mkdtempSync(join(tmpdir(), "orchestra-versions-"));

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
}

const workspaceDirs = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(repoRoot, group))
    .map((name) => join(group, name))
    .filter((dir) => existsSync(join(repoRoot, dir, "package.json"))),
);
const allDirs = [...workspaceDirs, "docs-site", "scripts/release"];

function manifest(root: string, dir: string): Manifest {
  return JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as Manifest;
}

const published = workspaceDirs.filter((dir) => manifest(repoRoot, dir).private !== true);

beforeAll(async () => {
  for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset"])
    cpSync(join(repoRoot, file), join(copy, file), { recursive: true });
  for (const dir of allDirs) {
    mkdirSync(join(copy, dir), { recursive: true });
    for (const file of ["package.json", "CHANGELOG.md"])
      if (existsSync(join(repoRoot, dir, file))) cpSync(join(repoRoot, dir, file), join(copy, dir, file));
  }
  // The changelog generator is resolved from the copy; it is the repository's installed one.
  symlinkSync(join(repoRoot, "node_modules"), join(copy, "node_modules"));
  await new Promise<void>((done, fail) => {
    execFile(
      join(repoRoot, "node_modules", ".bin", "changeset"),
      ["version"],
      { cwd: copy, env: { ...process.env, CI: "true" } },
      (error, _stdout, stderr) => (error ? fail(new Error(`changeset version failed: ${stderr}`)) : done()),
    );
  });
}, 120_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("pnpm changeset version, on a clean copy", () => {
  it(`takes every published package to ${RELEASE}`, () => {
    expect(published.length).toBe(13);
    expect(Object.fromEntries(published.map((dir) => [dir, manifest(copy, dir).version]))).toEqual(
      Object.fromEntries(published.map((dir) => [dir, RELEASE])),
    );
  });

  it("leaves the private packages alone", () => {
    for (const dir of allDirs.filter((d) => manifest(repoRoot, d).private === true))
      expect(manifest(copy, dir).version, dir).toBe(manifest(repoRoot, dir).version);
  });

  it(`writes a CHANGELOG whose first entry is ${RELEASE} and says what it is`, () => {
    for (const dir of published) {
      const log = readFileSync(join(copy, dir, "CHANGELOG.md"), "utf8");
      const headings = log.split("\n").filter((line) => line.startsWith("## "));
      expect(headings[0], dir).toBe(`## ${RELEASE}`);
      expect(log, dir).toContain("Open Orchestra 0.3.0 is the first release as separate packages");
      expect(log, dir).not.toMatch(/^## 0\.[12]\.\d/m);
    }
  });

  it("keeps internal dependencies on the workspace protocol (pnpm pack writes the versions)", () => {
    for (const dir of published)
      for (const [name, range] of Object.entries(manifest(copy, dir).dependencies ?? {}))
        if (name.startsWith("@orchestra/")) expect(range, `${dir} → ${name}`).toBe("workspace:^");
  });

  it("consumes the changesets", () => {
    const left = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(left).toEqual([]);
  });
});
