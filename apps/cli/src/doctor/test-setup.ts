import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { DoctorSetup } from "./setup.js";

/**
 * A fresh temp HOME and project for one test: XDG dirs inside HOME, PATH kept (bwrap, sh).
 * `write("project/.opencode/orchestrator.json", "…")` puts a file under the temp root.
 */
export function tempSetup(
  prefix: string,
): DoctorSetup & { root: string; write(path: string, text: string): string } {
  const root = mkdtempSync(join(tmpdir(), `doctor-${prefix}-`));
  const home = join(root, "home");
  const projectDir = join(root, "project");
  mkdirSync(home, { recursive: true });
  mkdirSync(projectDir, { recursive: true });
  return {
    root,
    home,
    projectDir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      XDG_DATA_HOME: join(home, ".local", "share"),
    },
    write(path, text) {
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}
