import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRegistry, startLocalRegistry } from "./test-support/local-registry.js";
import { extractExamples, runExamples } from "./test-support/readme-examples.js";
import { readmeSetup } from "./test-support/readme-setup.js";
import {
  packInstalled,
  packWorkspace,
  publishableDirs,
  repoRoot,
  type Tarball,
  thirdPartyClosure,
} from "./test-support/release-tarballs.js";

// Every publishable package's README examples, run as a reader would run them: the package is
// packed as a release packs it, installed ALONE with npm into an empty project (its dependencies,
// ours and third-party, from a 127.0.0.1 registry serving the tarballs: nothing from this
// repository's node_modules is visible), then each `js runnable` / `sh runnable` block runs there
// and its stdout must be the README's `text output` block. Examples that need an OpenCode get it
// from a hidden setup (readme-setup.ts), so the reader's copy runs as written.

let scratch = "";
let registry: LocalRegistry;
let ours = new Map<string, Tarball>();

function npmEnv(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    PATH: process.env.PATH,
    TMPDIR: join(scratch, "tmp"),
    LANG: "C.UTF-8",
    npm_config_registry: registry.url,
    npm_config_cache: join(scratch, "npm-cache"),
    npm_config_userconfig: join(home, ".npmrc"),
    npm_config_globalconfig: join(scratch, "global-npmrc"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    npm_config_proxy: "",
    npm_config_https_proxy: "",
  };
}

function npmInstall(
  cwd: string,
  spec: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile("npm", ["install", "--no-audit", "--no-fund", spec], { cwd, env }, (error, _stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stderr });
    });
  });
}

function manifest(dir: string): { name: string; version: string } {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; version: string };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "orchestra-readme-"));
  mkdirSync(join(scratch, "tmp"));
  writeFileSync(join(scratch, "global-npmrc"), "");
  ours = packWorkspace(join(scratch, "release"));
  const cache = join(repoRoot, "node_modules", ".cache", "orchestra-new-user-tarballs");
  const thirdParty = packInstalled(thirdPartyClosure(publishableDirs()), cache);
  registry = await startLocalRegistry([...thirdParty, ...ours.values()]);
});

afterAll(async () => {
  await registry?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("every package's README examples run against its packed package, installed alone", () => {
  const dirs = publishableDirs();

  it("every publishable package has a README with at least one runnable example", () => {
    const without = dirs
      .filter((dir) => extractExamples(readFileSync(join(dir, "README.md"), "utf8")).length === 0)
      .map((dir) => manifest(dir).name);
    expect(without).toEqual([]);
  });

  for (const dir of dirs) {
    const { name } = manifest(dir);
    it(`${name}: each runnable block prints the output its README shows`, async () => {
      const examples = extractExamples(readFileSync(join(dir, "README.md"), "utf8"));
      const project = join(scratch, "projects", name.replace("/", "+"));
      const home = `${project}-home`;
      mkdirSync(project, { recursive: true });
      mkdirSync(home, { recursive: true });
      writeFileSync(
        join(project, "package.json"),
        '{ "name": "reader", "private": true, "type": "module" }\n',
      );
      const env = npmEnv(home);
      const tarball = ours.get(name);
      const installed = await npmInstall(project, `${name}@${tarball?.manifest.version}`, env);
      expect(installed.stderr.includes("ERR!") ? installed.stderr : "").toBe("");
      expect(installed.code).toBe(0);
      const setup = await readmeSetup(name, { project, env });
      try {
        const runs = await runExamples(examples, {
          cwd: project,
          env: { ...env, ...setup.env },
          replace: { [project]: "<project>", ...setup.replace },
        });
        for (const run of runs) {
          expect(
            { line: run.example.line, exitCode: run.exitCode, stdout: run.actual },
            `README.md line ${run.example.line}; stderr:\n${run.stderr}`,
          ).toEqual({ line: run.example.line, exitCode: 0, stdout: run.example.expected.trimEnd() });
        }
      } finally {
        await setup.close();
      }
    });
  }
});
