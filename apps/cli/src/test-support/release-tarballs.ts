// The tarballs a release publishes, and the third-party packages they need, for the new-user test.
// Our packages are packed as a release packs them (`pnpm pack`, which rewrites `workspace:` ranges
// to versions). Third-party packages come from this repository's installed copies, so nothing is
// downloaded: each is the published file set of that exact name@version (pnpm checked its integrity).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** A package.json, as far as these helpers read it. */
interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** One tarball and the manifest inside it. */
export interface Tarball {
  file: string;
  manifest: Manifest;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/** The manifest inside a packed tarball (`package/package.json`). */
function tarballManifest(file: string): Manifest {
  return JSON.parse(
    execFileSync("tar", ["-xzOf", file, "package/package.json"], { encoding: "utf8" }),
  ) as Manifest;
}

/** The directories of this repository's publishable packages (`packages/*` and `apps/*`, not private). */
export function publishableDirs(): string[] {
  return ["packages", "apps"]
    .flatMap((group) => readdirSync(join(repoRoot, group)).map((name) => join(repoRoot, group, name)))
    .filter((dir) => existsSync(join(dir, "package.json")) && readManifest(dir).private !== true);
}

/**
 * `pnpm pack` every publishable package into `dest`, as a release would: one `pnpm -r pack` over
 * them. Returns the tarballs by package name.
 */
export function packWorkspace(dest: string): Map<string, Tarball> {
  mkdirSync(dest, { recursive: true });
  const dirs = publishableDirs();
  const filters = dirs.flatMap((dir) => ["--filter", `./${dir.slice(repoRoot.length + 1)}`]);
  execFileSync("npx", ["--yes", "pnpm@10.34.9", "-r", ...filters, "pack", "--pack-destination", dest], {
    cwd: repoRoot,
    stdio: "pipe",
  });
  const out = new Map<string, Tarball>();
  for (const name of readdirSync(dest).filter((f) => f.endsWith(".tgz"))) {
    const file = join(dest, name);
    const manifest = tarballManifest(file);
    out.set(manifest.name, { file, manifest });
  }
  return out;
}

/** Where Node would find `name` from `dir`: the nearest `node_modules/<name>` up the tree (real path). */
function locate(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(at) === at) return undefined;
  }
}

/** What a package needs installed at run time: dependencies, optional ones, and non-optional peers. */
function runtimeDeps(manifest: Manifest): string[] {
  const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
    (name) => manifest.peerDependenciesMeta?.[name]?.optional !== true,
  );
  return [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...peers,
  ];
}

/** The tarball files of `ours` that package `name` needs, its own first (from the manifests inside them). */
export function tarballClosure(ours: ReadonlyMap<string, Tarball>, name: string): string[] {
  const out = new Set<string>();
  const visit = (n: string) => {
    const tarball = ours.get(n);
    if (!tarball || out.has(n)) return;
    out.add(n);
    for (const dep of Object.keys(tarball.manifest.dependencies ?? {})) visit(dep);
  };
  visit(name);
  return [...out].map((n) => ours.get(n)?.file ?? "");
}

/**
 * The installed directories of every third-party package that `rootDirs` need at run time, found
 * the way Node resolves them from each package (pnpm keeps each one's dependencies beside it).
 * An optional dependency for another platform is not installed here, and not needed.
 */
export function thirdPartyClosure(rootDirs: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = rootDirs.map((dir) => realpathSync(dir));
  const missing: string[] = [];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = readManifest(dir);
    for (const name of runtimeDeps(manifest)) {
      const found = locate(dir, name);
      if (found) queue.push(found);
      else if (manifest.optionalDependencies?.[name] === undefined)
        missing.push(`${manifest.name} → ${name}`);
    }
  }
  if (missing.length > 0) throw new Error(`not installed in this repository: ${missing.join(", ")}`);
  const workspace = [join(repoRoot, "packages"), join(repoRoot, "apps")];
  return [...seen].filter((dir) => !workspace.some((root) => dir.startsWith(root)));
}

/** The tarball file name npm gives `name@version`. */
function tarballFile(name: string, version: string): string {
  return `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
}

/**
 * Pack installed third-party package directories as their registry tarballs, into `cacheDir`,
 * named by name@version: a published version never changes, so a tarball made once is reused.
 * Each directory is copied first: `npm pack <dir>` fails ("Exit handler never called") for a
 * directory inside node_modules, and a plain tar of pnpm's store would keep its hard links, which
 * npm drops on extraction.
 */
export function packInstalled(dirs: readonly string[], cacheDir: string): Tarball[] {
  mkdirSync(cacheDir, { recursive: true });
  const all = dirs.map((dir) => {
    const manifest = readManifest(dir);
    return { dir, manifest, file: join(cacheDir, tarballFile(manifest.name, manifest.version)) };
  });
  const missing = all.filter(({ file }) => !existsSync(file));
  if (missing.length > 0) {
    const work = mkdtempSync(join(tmpdir(), "orchestra-pack-"));
    try {
      const copies = missing.map(({ dir }, i) => {
        const copy = join(work, "copies", String(i));
        cpSync(dir, copy, { recursive: true, dereference: true });
        return copy;
      });
      const out = join(work, "out");
      mkdirSync(out);
      execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", out, ...copies], {
        cwd: work,
        stdio: "pipe",
      });
      // Moved into the cache only once complete, so a failed run never leaves half a tarball.
      for (const { file } of missing) renameSync(join(out, basename(file)), file);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return all.map(({ file, manifest }) => ({ file, manifest }));
}

/** `sha512-…` integrity and sha1 hex of a file, as a registry's `dist` lists them. */
export function digests(file: string): { integrity: string; shasum: string } {
  const data = readFileSync(file);
  return {
    integrity: `sha512-${createHash("sha512").update(data).digest("base64")}`,
    shasum: createHash("sha1").update(data).digest("hex"),
  };
}
