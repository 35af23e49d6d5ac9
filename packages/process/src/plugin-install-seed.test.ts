import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PLUGIN_PACKAGE, seedPluginInstall } from "./plugin-install-seed.js";

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "process-seed-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const json = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>;

describe("seedPluginInstall", () => {
  it("writes node_modules, package.json and package-lock.json the way OpenCode checks them", () => {
    const dir = join(scratch(), ".opencode");
    expect(seedPluginInstall(dir, "1.18.33")).toBe("seeded");
    expect(existsSync(join(dir, "node_modules"))).toBe(true);
    expect(json(join(dir, "package.json")).dependencies).toEqual({ [PLUGIN_PACKAGE]: "1.18.33" });
    const lock = json(join(dir, "package-lock.json"));
    expect((lock.packages?.[""] as Record<string, unknown> | undefined)?.dependencies).toEqual({
      [PLUGIN_PACKAGE]: "1.18.33",
    });
    expect(seedPluginInstall(dir, "1.18.33")).toBe("already-satisfied");
  });

  it("keeps existing locked dependencies and links the plugin package when asked", () => {
    const dir = scratch();
    const pkgDir = join(scratch(), "plugin-pkg");
    mkdirSync(pkgDir);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ dependencies: { zod: "4.0.0" } }));
    writeFileSync(
      join(dir, "package-lock.json"),
      JSON.stringify({ lockfileVersion: 3, packages: { "": { dependencies: { zod: "4.0.0" } } } }),
    );
    expect(seedPluginInstall(dir, "1.2.3", { linkPluginPackage: pkgDir })).toBe("seeded");
    expect(json(join(dir, "package.json")).dependencies).toEqual({ zod: "4.0.0", [PLUGIN_PACKAGE]: "1.2.3" });
    const root = json(join(dir, "package-lock.json")).packages?.[""] as {
      dependencies: Record<string, string>;
    };
    expect(root.dependencies).toEqual({ zod: "4.0.0", [PLUGIN_PACKAGE]: "1.2.3" });
    expect(realpathSync(join(dir, "node_modules", PLUGIN_PACKAGE))).toBe(realpathSync(pkgDir));
  });

  it("leaves a dir alone when it declares dependencies that are not installed", () => {
    const dir = scratch();
    writeFileSync(join(dir, "package.json"), JSON.stringify({ dependencies: { "left-pad": "1.0.0" } }));
    expect(seedPluginInstall(dir, "1.18.33")).toBe("left-alone");
    expect(existsSync(join(dir, "package-lock.json"))).toBe(false);
  });
});
