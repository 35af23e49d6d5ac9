// The checks `pnpm release:check` runs for each published package, one table column each. A step
// gets the package's tarball and the empty project where that tarball (and the @orchestra tarballs
// it depends on) was installed, and returns its cell. Add a column by adding a step to `steps`.
import { execFile } from "node:child_process";
import { join } from "node:path";

/** One package under check. */
export interface PackageUnderCheck {
  name: string;
  /** Its packed tarball (`pnpm pack`). */
  tarball: string;
  /** The manifest inside the tarball. */
  manifest: { name: string; version: string; exports?: unknown; bin?: unknown };
  /** The empty project where `installsAlone` installed it (`<project>/node_modules/<name>`). */
  project: string;
  /** Run a command in the check's environment (offline npm, the local registry). */
  run(command: string, args: readonly string[], cwd: string): Promise<Run>;
}

/** A finished command. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A step's cell: `ok: false` fails the check; `detail` is printed below the table. */
export interface Cell {
  ok: boolean;
  text: string;
  detail?: string;
}

/** One column of the table. */
export interface Step {
  column: string;
  run(pkg: PackageUnderCheck): Promise<Cell>;
}

/** The repository's installed binary `name` (node_modules/.bin). */
function bin(repoRoot: string, name: string): string {
  return join(repoRoot, "node_modules", ".bin", name);
}

/** Run a command, never throwing: its exit code and output. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((done) => {
    execFile(command, args, { ...options, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      done({ code, stdout, stderr });
    });
  });
}

function failed(what: string, run: Run): Cell {
  return {
    ok: false,
    text: "FAIL",
    detail: `${what} (exit ${run.code}):\n${run.stdout}${run.stderr}`.trim(),
  };
}

/** Has a `.` export: a library (the CLI has only a bin). */
function isLibrary(pkg: PackageUnderCheck): boolean {
  return (
    typeof pkg.manifest.exports === "object" && pkg.manifest.exports !== null && "." in pkg.manifest.exports
  );
}

/** The package loads where it was installed alone: `import` and `require` (or `--version` for a bin). */
export function loadsStep(): Step {
  return {
    column: "import / require",
    async run(pkg) {
      if (!isLibrary(pkg)) {
        const bins = Object.keys((pkg.manifest.bin ?? {}) as Record<string, string>);
        const out = await pkg.run(
          join(pkg.project, "node_modules", ".bin", bins[0] ?? ""),
          ["--version"],
          pkg.project,
        );
        if (out.code !== 0 || out.stdout.trim() !== pkg.manifest.version)
          return failed(`${bins[0]} --version`, out);
        return { ok: true, text: `${bins[0]} --version` };
      }
      const name = JSON.stringify(pkg.name);
      const imported = await pkg.run(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          `const m = await import(${name}); if (Object.keys(m).length === 0) process.exit(3);`,
        ],
        pkg.project,
      );
      if (imported.code !== 0) return failed(`import ${pkg.name}`, imported);
      const required = await pkg.run(
        process.execPath,
        ["-e", `const m = require(${name}); if (Object.keys(m).length === 0) process.exit(3);`],
        pkg.project,
      );
      if (required.code !== 0) return failed(`require ${pkg.name}`, required);
      return { ok: true, text: "pass / pass" };
    },
  };
}

/** `publint --strict` on the tarball. */
export function publintStep(repoRoot: string): Step {
  return {
    column: "publint --strict",
    async run(pkg) {
      const out = await pkg.run(bin(repoRoot, "publint"), ["--strict", pkg.tarball], pkg.project);
      return out.code === 0 ? { ok: true, text: "pass" } : failed("publint --strict", out);
    },
  };
}

/**
 * attw on the tarball, profile `node16` (node10 resolution is not supported: `exports` only). The
 * packages are ESM; Node ≥ 20.19 (`engines`) `require`s them through the `default` condition, which
 * TypeScript's node16 model of CommonJS calls "dynamic import only", so that one rule is ignored.
 */
export function attwStep(repoRoot: string): Step {
  return {
    column: "attw (node16)",
    async run(pkg) {
      if (!isLibrary(pkg)) return { ok: true, text: "n/a (bin only)" };
      const out = await pkg.run(
        bin(repoRoot, "attw"),
        [
          pkg.tarball,
          "--profile",
          "node16",
          "--ignore-rules",
          "cjs-resolves-to-esm",
          "--format",
          "table-flipped",
        ],
        pkg.project,
      );
      return out.code === 0 ? { ok: true, text: "pass" } : failed("attw", out);
    },
  };
}

/** The size of the project's node_modules after installing the package alone, and its copies of zod. */
export function sizeStep(): Step {
  return {
    column: "install size (zod copies)",
    async run(pkg) {
      const du = await pkg.run("du", ["-sk", "node_modules"], pkg.project);
      const zods = await pkg.run(
        "find",
        ["node_modules", "-type", "d", "-path", "*node_modules/zod"],
        pkg.project,
      );
      if (du.code !== 0) return failed("du", du);
      const kb = Number(du.stdout.split("\t")[0]);
      const copies = zods.stdout.split("\n").filter(Boolean).length;
      return { ok: true, text: `${(kb / 1024).toFixed(1)} MB (${copies})` };
    },
  };
}
