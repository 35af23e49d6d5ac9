import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The built `orchestra` command the tests run, as users do. */
const cliPath = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/main.js");

/** What one run of the command printed and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `orchestra <args>` in `cwd` with `env`; never throws for a non-zero exit. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}
