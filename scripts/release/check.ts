// `pnpm release:check` (after the root script's `turbo run build`): pack every published package as a release packs it, then for each
// one install its tarball ALONE (with the @orchestra tarballs it depends on) into an empty project
// with npm, offline (third-party packages come from a 127.0.0.1 registry made of this repository's
// installed copies: apps/cli/src/test-support), and run the steps of steps.ts on it. Prints one
// table, package × installs alone × each step, and exits 1 when any cell failed. RELEASING.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRegistry } from "../../apps/cli/src/test-support/local-registry.js";
import {
  packInstalled,
  packWorkspace,
  publishableDirs,
  repoRoot,
  tarballClosure,
  thirdPartyClosure,
} from "../../apps/cli/src/test-support/release-tarballs.js";
import { readmeStep } from "./readme-step.js";
import {
  attwStep,
  type Cell,
  loadsStep,
  type PackageUnderCheck,
  publintStep,
  runCommand,
  type Step,
  sizeStep,
} from "./steps.js";

/** The columns after "installs alone". */
const steps: Step[] = [loadsStep(), readmeStep(), publintStep(repoRoot), attwStep(repoRoot), sizeStep()];

/**
 * The test harness peers on `opencode-ai` (the user's OpenCode, ~150 MB with its binary): its
 * install skips peers, and the registry is built without it.
 */
const PEER_LEFT_TO_USER = "@orchestra/testkit";

async function main(): Promise<void> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), "orchestra-release-check-"));
  try {
    process.stdout.write("packing every published package…\n");
    const ours = packWorkspace(join(scratch, "release"));
    const thirdPartyDirs = thirdPartyClosure(
      publishableDirs().filter((dir) => !dir.endsWith(`/${PEER_LEFT_TO_USER.split("/")[1]}`)),
    );
    const cache = join(repoRoot, "node_modules", ".cache", "orchestra-new-user-tarballs");
    const registry = await startLocalRegistry(packInstalled(thirdPartyDirs, cache));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: join(scratch, "home"),
      TMPDIR: join(scratch, "tmp"),
      npm_config_registry: registry.url,
      npm_config_cache: join(scratch, "npm-cache"),
      npm_config_userconfig: join(scratch, "npmrc"),
      npm_config_globalconfig: join(scratch, "global-npmrc"),
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    };
    for (const dir of [env.HOME ?? "", env.TMPDIR ?? ""]) mkdirSync(dir, { recursive: true });
    for (const file of ["npmrc", "global-npmrc"]) writeFileSync(join(scratch, file), "");
    const run = (command: string, args: readonly string[], cwd: string) =>
      runCommand(command, args, { cwd, env });

    const rows: { name: string; cells: Cell[] }[] = [];
    try {
      for (const [name, tarball] of [...ours.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        process.stdout.write(`checking ${name}…\n`);
        const project = join(scratch, "projects", name.replace("/", "+"));
        mkdirSync(project, { recursive: true });
        writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "empty", private: true })}\n`);
        const flags = name === PEER_LEFT_TO_USER ? ["--legacy-peer-deps"] : [];
        const files = tarballClosure(ours, name);
        const installed = await run(
          "npm",
          ["install", "--no-audit", "--no-fund", ...flags, ...files],
          project,
        );
        const alone: Cell =
          installed.code === 0
            ? { ok: true, text: `pass (${files.length} tarball${files.length === 1 ? "" : "s"})` }
            : { ok: false, text: "FAIL", detail: `npm install:\n${installed.stderr}` };
        const pkg: PackageUnderCheck = {
          name,
          tarball: tarball.file,
          manifest: tarball.manifest,
          project,
          run,
        };
        const cells = [alone];
        for (const step of steps)
          cells.push(
            alone.ok || step.column.startsWith("publint") || step.column.startsWith("attw")
              ? await step.run(pkg)
              : { ok: false, text: "not run" },
          );
        rows.push({ name, cells });
      }
    } finally {
      await registry.close();
    }

    const header = ["package", "installs alone", ...steps.map((s) => s.column)];
    const lines = [header, ...rows.map((r) => [r.name, ...r.cells.map((c) => c.text)])];
    const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? "").length)));
    const format = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
    process.stdout.write(`\n${format(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n`);
    for (const l of lines.slice(1)) process.stdout.write(`${format(l)}\n`);
    const failures = rows.flatMap((r) => r.cells.filter((c) => !c.ok).map((c) => ({ name: r.name, c })));
    for (const { name, c } of failures) if (c.detail) process.stdout.write(`\n${name}: ${c.detail}\n`);
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(
      `\nrelease:check ${failures.length === 0 ? "passed" : `FAILED (${failures.length} cells)`} in ${seconds} s\n`,
    );
    process.exitCode = failures.length === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
