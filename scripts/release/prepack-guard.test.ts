import { execFile } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkBuilt } from "./prepack-guard.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../..");
const scratch: string[] = [];

/** A repository-shaped temp dir with the guard at scripts/release and one package at packages/demo. */
function fakeRepo(): { root: string; pkg: string } {
  const root = mkdtempSync(join(tmpdir(), "orchestra-prepack-"));
  scratch.push(root);
  mkdirSync(join(root, "scripts", "release"), { recursive: true });
  cpSync(join(here, "prepack-guard.mjs"), join(root, "scripts", "release", "prepack-guard.mjs"));
  const pkg = join(root, "packages", "demo");
  mkdirSync(join(pkg, "src"), { recursive: true });
  const warmPool = JSON.parse(
    readFileSync(join(repoRoot, "packages", "warm-pool", "package.json"), "utf8"),
  ) as {
    exports: unknown;
    files: string[];
    scripts: { prepack: string };
  };
  writeFileSync(
    join(pkg, "package.json"),
    JSON.stringify({
      name: "@orchestra/demo-pack",
      version: "1.0.0",
      type: "module",
      exports: warmPool.exports,
      files: warmPool.files,
      scripts: { prepack: warmPool.scripts.prepack },
    }),
  );
  writeFileSync(join(pkg, "src", "index.ts"), "export const a = 1;\n");
  return { root, pkg };
}

function build(pkg: string): void {
  mkdirSync(join(pkg, "dist"), { recursive: true });
  writeFileSync(join(pkg, "dist", "index.js"), "export const a = 1;\n");
  writeFileSync(join(pkg, "dist", "index.d.ts"), "export declare const a = 1;\n");
}

/** `npm pack` in `dir`: its exit code, stderr and the tarballs it left. */
function npmPack(dir: string): Promise<{ code: number; stderr: string; tarballs: string[] }> {
  return new Promise((done) => {
    execFile("npm", ["pack", "--silent"], { cwd: dir }, (error, _stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      done({ code, stderr, tarballs: readdirSync(dir).filter((f) => f.endsWith(".tgz")) });
    });
  });
}

afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the prepack guard", () => {
  it("refuses to pack without dist, names what is missing and what to run", async () => {
    const { pkg } = fakeRepo();
    expect(checkBuilt(pkg)).toBe(
      "@orchestra/demo-pack: nothing to pack, ./dist/index.d.ts, ./dist/index.js missing",
    );
    const packed = await npmPack(pkg);
    expect(packed.code).not.toBe(0);
    expect(packed.stderr).toContain(
      "@orchestra/demo-pack: nothing to pack, ./dist/index.d.ts, ./dist/index.js missing.",
    );
    expect(packed.stderr).toContain("Build first: `pnpm build` at the repository root");
    expect(packed.tarballs).toEqual([]);
  });

  it("refuses a dist older than a source file, naming the file", async () => {
    const { pkg } = fakeRepo();
    build(pkg);
    const past = new Date(Date.now() - 60_000);
    for (const file of ["index.js", "index.d.ts"]) utimesSync(join(pkg, "dist", file), past, past);
    expect(checkBuilt(pkg)).toBe(
      "@orchestra/demo-pack: dist is stale, src/index.ts changed after the last build",
    );
    const packed = await npmPack(pkg);
    expect(packed.code).not.toBe(0);
    expect(packed.stderr).toContain("dist is stale, src/index.ts changed after the last build");
    expect(packed.tarballs).toEqual([]);
  });

  it("ignores changed tests and test support, and packs a fresh build", async () => {
    const { pkg } = fakeRepo();
    mkdirSync(join(pkg, "src", "test-support"));
    build(pkg);
    const past = new Date(Date.now() - 60_000);
    for (const file of ["index.js", "index.d.ts"]) utimesSync(join(pkg, "dist", file), past, past);
    const older = new Date(Date.now() - 120_000);
    utimesSync(join(pkg, "src", "index.ts"), older, older);
    // Edited after the build, but not built into dist.
    writeFileSync(join(pkg, "src", "index.test.ts"), "");
    writeFileSync(join(pkg, "src", "test-support", "helper.ts"), "");
    expect(checkBuilt(pkg)).toBeUndefined();
    const packed = await npmPack(pkg);
    expect(packed).toMatchObject({ code: 0, tarballs: ["orchestra-demo-pack-1.0.0.tgz"] });
  });

  it("is the prepack script of every published package", () => {
    const dirs = ["packages", "apps"].flatMap((group) =>
      readdirSync(join(repoRoot, group)).map((name) => join(repoRoot, group, name)),
    );
    const published = dirs
      .map(
        (dir) =>
          JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
            name: string;
            private?: boolean;
            scripts?: Record<string, string>;
          },
      )
      .filter((manifest) => manifest.private !== true);
    expect(published.length).toBeGreaterThanOrEqual(13);
    expect(
      published
        .filter((m) => m.scripts?.prepack !== "node ../../scripts/release/prepack-guard.mjs")
        .map((m) => m.name),
    ).toEqual([]);
  });
});
