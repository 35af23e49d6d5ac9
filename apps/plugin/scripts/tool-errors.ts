// Static reachability of the tool reference's error codes: which codes belong to the error family
// (a `type …Code… = "A" | "B"` union or an `OrchestraError<"A" | "B">` in a package's source), and
// which a tool's module can raise: a code is raisable when its literal occurs outside a type
// declaration in a file that the tool's module imports, directly or through other modules and
// workspace packages (`@orchestra/x` → packages/x/src/index.ts). Type imports are followed too: a tool
// calls the Orchestra it is given, whose implementation is the imported type's package.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const REPO = join(import.meta.dirname, "..", "..", "..");

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== "node_modules" && name !== "test-support") out.push(...sources(full));
    } else if (name.endsWith(".ts") && !name.includes(".test.") && !name.includes(".bench.")) out.push(full);
  }
  return out;
}

/** Every code of the error family, from the code unions of every package's and app's source. */
export function errorFamilyCodes(): Set<string> {
  const codes = new Set<string>();
  for (const group of ["packages", "apps"])
    for (const pkg of readdirSync(join(REPO, group))) {
      const src = join(REPO, group, pkg, "src");
      if (!existsSync(src)) continue;
      for (const file of sources(src)) {
        const text = withoutComments(readFileSync(file, "utf8"));
        const unions = [
          ...[...text.matchAll(/\btype\s+\w*Code\w*\s*=([^;]+);/g)].map((m) => m[1] ?? ""),
          ...[...text.matchAll(/extends\s+OrchestraError<([^>]+)>/g)].map((m) => m[1] ?? ""),
        ];
        for (const union of unions)
          for (const m of union.matchAll(/"([A-Z][A-Z0-9_]+)"/g)) codes.add(m[1] ?? "");
      }
    }
  return codes;
}

function resolveImport(from: string, spec: string): string | undefined {
  if (spec.startsWith(".")) {
    const base = resolve(dirname(from), spec).replace(/\.js$/, "");
    return [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f));
  }
  const workspace = /^@orchestra\/([\w-]+)(?:\/([\w-]+))?$/.exec(spec);
  if (!workspace) return undefined;
  const file = join(REPO, "packages", workspace[1] ?? "", "src", `${workspace[2] ?? "index"}.ts`);
  return existsSync(file) ? file : undefined;
}

/** The files a module can run: itself and everything it imports (values and types), transitively. */
export function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = withoutComments(readFileSync(file, "utf8"));
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)";/gm)) {
      const next = resolveImport(file, m[1] ?? "");
      if (next) queue.push(next);
    }
  }
  return [...seen];
}

/** The codes raisable in a module graph: literals outside type declarations. */
export function raisableCodes(files: readonly string[]): Set<string> {
  const codes = new Set<string>();
  for (const file of files) {
    const text = withoutComments(readFileSync(file, "utf8")).replace(/\btype\s+\w+\s*=[^;]+;/g, "");
    for (const m of text.matchAll(/"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"/g)) codes.add(m[1] ?? "");
  }
  return codes;
}
