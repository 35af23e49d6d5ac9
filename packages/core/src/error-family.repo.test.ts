// Repository-wide rules of the error family, checked over every package's source:
// each code carries its package's prefix, no prefix belongs to two packages, and every error class
// has its own marker and its own isInstance. The table is the one of issue 12 (AGENTS.md, "Errors").
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The code prefixes each package owns. */
const PREFIXES: Readonly<Record<string, readonly string[]>> = {
  "@orchestra/core": ["CORE_"],
  "@orchestra/config": ["CONFIG_"],
  "@orchestra/health": ["HEALTH_"],
  "@orchestra/memory": ["MEMORY_"],
  "@orchestra/permissions": ["PERMISSIONS_", "SANDBOX_"],
  "@orchestra/profiles": ["PROFILE_"],
  "@orchestra/resolver": ["RESOLVER_"],
  // BUDGET_: issue 17 names the code BUDGET_EXCEEDED exactly; the runtime enforces budgets.
  "@orchestra/runtime": ["RUNTIME_", "WORKER_", "JOB_", "LIFECYCLE_", "REGISTRY_", "BUDGET_"],
  "@orchestra/process": ["PROCESS_"],
  "@orchestra/testkit": ["TESTKIT_"],
  "@orchestra/warm-pool": ["POOL_"],
  "@orchestra/cli": ["CLI_"],
  "@orchestra/plugin": ["PLUGIN_"],
  "@orchestra/demo": ["DEMO_"],
};

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

interface SourceFile {
  readonly pkg: string;
  readonly path: string;
  readonly text: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== "node_modules" && name !== "test-support") out.push(...sourceFiles(full));
    } else if (
      name.endsWith(".ts") &&
      !/\.(test|e2e\.test|bench)\.ts$/.test(name) &&
      !name.includes(".test.")
    ) {
      out.push(full);
    }
  }
  return out;
}

/** Every non-test source file of every package and app, with its package name. */
function workspaceSources(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const group of ["packages", "apps"]) {
    for (const dir of readdirSync(join(ROOT, group))) {
      const pkgDir = join(ROOT, group, dir);
      let pkg: string;
      try {
        pkg = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { name: string }).name;
        statSync(join(pkgDir, "src"));
      } catch {
        continue;
      }
      for (const path of sourceFiles(join(pkgDir, "src"))) {
        files.push({ pkg, path: relative(ROOT, path), text: readFileSync(path, "utf8") });
      }
    }
  }
  return files;
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The string literals of every `type …Code… = "A" | "B"` union and every `OrchestraError<"A" | "B">`. */
function codesOf(file: SourceFile): string[] {
  const text = withoutComments(file.text);
  const unions = [
    ...[...text.matchAll(/\btype\s+\w*Code\w*\s*=([^;]+);/g)].map((m) => m[1] ?? ""),
    ...[...text.matchAll(/extends\s+OrchestraError<([^>]+)>/g)].map((m) => m[1] ?? ""),
  ];
  return unions.flatMap((u) => [...u.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ""));
}

/** Every error class: `class X extends Y` where Y is OrchestraError or a class already found. */
function errorClasses(files: readonly SourceFile[]): { name: string; body: string; file: SourceFile }[] {
  const found = new Map<string, { name: string; body: string; file: SourceFile }>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const file of files) {
      for (const m of file.text.matchAll(/class\s+(\w+)\s+extends\s+(\w+)(?:<[^{]*>)?\s*\{/g)) {
        const [, name = "", parent = ""] = m;
        if (found.has(name) || !(parent === "OrchestraError" || found.has(parent))) continue;
        found.set(name, { name, body: classBody(file.text, (m.index ?? 0) + m[0].length), file });
        grew = true;
      }
    }
  }
  return [...found.values()];
}

function classBody(text: string, from: number): string {
  let depth = 1;
  let i = from;
  for (; i < text.length && depth > 0; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") depth--;
  }
  return text.slice(from, i);
}

describe("the error family across the repository", () => {
  const files = workspaceSources();

  it("finds the error code unions of the packages (the scan works)", () => {
    const packages = new Set(files.filter((f) => codesOf(f).length > 0).map((f) => f.pkg));
    for (const pkg of [
      "@orchestra/config",
      "@orchestra/resolver",
      "@orchestra/runtime",
      "@orchestra/testkit",
    ]) {
      expect(packages).toContain(pkg);
    }
  });

  it("gives every code its package's prefix", () => {
    const wrong: string[] = [];
    for (const file of files) {
      const prefixes = PREFIXES[file.pkg];
      for (const code of codesOf(file)) {
        if (prefixes === undefined)
          wrong.push(`${file.path}: ${code} (package ${file.pkg} has no prefix in the table)`);
        else if (!prefixes.some((p) => code.startsWith(p))) {
          wrong.push(`${file.path}: ${code} (expected a prefix of ${prefixes.join(", ")})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("never lets two packages share a prefix, or one prefix start another", () => {
    const owners = Object.entries(PREFIXES).flatMap(([pkg, list]) => list.map((prefix) => ({ pkg, prefix })));
    const clashes = owners.flatMap((a) =>
      owners
        .filter((b) => a !== b && b.prefix.startsWith(a.prefix))
        .map((b) => `${a.prefix} (${a.pkg}) / ${b.prefix} (${b.pkg})`),
    );
    expect(clashes).toEqual([]);
  });

  it("gives each code to one package only", () => {
    const owner = new Map<string, string>();
    const twice: string[] = [];
    for (const file of files) {
      for (const code of codesOf(file)) {
        const seen = owner.get(code);
        if (seen !== undefined && seen !== file.pkg) twice.push(`${code}: ${seen} and ${file.pkg}`);
        owner.set(code, file.pkg);
      }
    }
    expect(twice).toEqual([]);
  });

  it("gives every error class its own marker and its own isInstance", () => {
    const classes = errorClasses(files);
    expect(classes.map((c) => c.name)).toEqual(
      expect.arrayContaining(["ConfigError", "LifecycleError", "RegistryError"]),
    );
    const missing = classes
      .filter(
        (c) =>
          !(
            c.body.includes(`errorMarker("${c.name}")`) ||
            c.body.includes(`Symbol.for("open-orchestra.error.${c.name}")`)
          ) ||
          !new RegExp(`static override isInstance\\(value: unknown\\): value is ${c.name}\\b`).test(c.body),
      )
      .map((c) => `${c.file.path}: ${c.name}`);
    expect(missing).toEqual([]);
  });
});
