import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

const IMPORT_META = /\bimport\.meta\.(url|dirname|filename|resolve)\b/g;

/** The nearest package.json above `file`: its directory and name. */
function packageOf(file: string): { root: string; name: string } | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      return name === undefined ? undefined : { root: dir, name };
    }
  }
  return undefined;
}

/**
 * esbuild plugin: code inlined from a workspace package keeps the `import.meta` of the file it came
 * from. Inlined into a chunk (of the CLI), `import.meta.url` would name that chunk
 * instead, so `createRequire(import.meta.url)("libsql")` in the runtime would look for libsql
 * beside the CLI, which does not depend on it. Each `import.meta.url`, `.dirname` and `.filename` of an
 * `@orchestra/*` package is rewritten to that file's location in the installed package (found from
 * its `package.json` export at run time). Any other inlined dependency that reads `import.meta`
 * fails the build, so a new one is seen instead of breaking at run time.
 */
export function inlinedImportMeta(): Plugin {
  return {
    name: "orchestra-inlined-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.m?js$/ }, async (args) => {
        if (!args.path.includes(`${sep}node_modules${sep}`) && !args.path.includes(`${sep}packages${sep}`))
          return undefined;
        // tsup's own `__dirname`/`__filename` shims: meant to name the chunk.
        if (args.path.includes(`${sep}tsup${sep}assets${sep}`)) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!/\bimport\.meta\b/.test(text)) return undefined;
        const pkg = packageOf(args.path);
        if (pkg === undefined || !pkg.name.startsWith("@orchestra/"))
          throw new Error(
            `${args.path} (${pkg?.name ?? "no package"}) reads import.meta: inlined it would see the chunk it is in; keep it external (tsup.inline.ts) or teach tsup.import-meta.ts about it`,
          );
        const file = relative(pkg.root, args.path).split(sep).join("/");
        const url = `new URL(${JSON.stringify(file)}, import.meta.resolve(${JSON.stringify(`${pkg.name}/package.json`)})).href`;
        const path = `process.getBuiltinModule("node:url").fileURLToPath(${url})`;
        const contents = text.replace(IMPORT_META, (_whole, what: string) => {
          if (what === "url") return `(${url})`;
          if (what === "filename") return `(${path})`;
          if (what === "dirname") return `process.getBuiltinModule("node:path").dirname(${path})`;
          throw new Error(
            `${args.path} calls import.meta.resolve: inlined it would resolve from the chunk it is in`,
          );
        });
        return { contents, loader: "js" };
      });
    },
  };
}
