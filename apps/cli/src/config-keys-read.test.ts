import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

// Every key of the orchestrator config schema must be read by code (issue 12). This test asks the
// TypeScript language service, over the non-test sources of packages/*/src and apps/*/src, for the
// references of each schema property's declaration. Find-references goes through zod's inferred
// output type: `loaded.config.memory.inject.maxChars` in the plugin is a reference of the `maxChars:`
// property assignment in schema-memory.ts. A key is read when one reference is outside
// packages/config/src, test-support folders and the testkit, and is not an object-literal property
// (that writes a key, it does not read it). A value can also be handed over whole to a structural type of
// another package (`modelSelection: config.modelSelection` into the resolver's `ModelSelection`): then
// the key is read when the destination type's property of the same name is read (the contextual type at
// the hand-over, followed through the remaining path), or is required by a mapped type such as
// `Record<WorkflowLimitName, number>` (which has no declaration to find references of).

/** Read by editors (JSON Schema completion), not by code: the loader only accepts it. */
const EDITOR_ONLY = ["$schema"];

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const configSrc = join(root, "packages/config/src/");

/** Non-test TypeScript sources of one src folder. */
function sources(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts"))
      out.push(path);
  }
}

/** One language service over every package's and app's src, `@orchestra/*` mapped to sources. */
function languageService(): ts.LanguageService {
  const files: string[] = [];
  const paths: Record<string, string[]> = {};
  for (const top of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, top))) {
      const src = join(root, top, name, "src");
      if (!existsSync(src)) continue;
      sources(src, files);
      const manifest = JSON.parse(readFileSync(join(root, top, name, "package.json"), "utf8")) as {
        name: string;
        exports?: Record<string, unknown>;
      };
      for (const sub of Object.keys(manifest.exports ?? {})) {
        if (sub === "./package.json") continue;
        const file = sub === "." ? "index" : sub.slice(2);
        paths[sub === "." ? manifest.name : `${manifest.name}/${sub.slice(2)}`] = [join(src, `${file}.ts`)];
      }
    }
  }
  const base = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile).config as object;
  const options = { ...ts.parseJsonConfigFileContent(base, ts.sys, root).options, paths };
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => files,
    getScriptVersion: () => "1",
    getScriptSnapshot: (f) =>
      existsSync(f) ? ts.ScriptSnapshot.fromString(readFileSync(f, "utf8")) : undefined,
    getCurrentDirectory: () => root,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

/** A schema key: its path (`*` for a record's entries, `[]` for an array's items) and declaration. */
interface Key {
  readonly path: readonly string[];
  readonly decl: ts.NamedDeclaration | undefined;
}

const isSchemaFile = (file: string) => file.startsWith(configSrc) && /\/schema(-[a-z]+)?\.ts$/.test(file);
const isExcluded = (file: string) =>
  file.startsWith(configSrc) ||
  file.includes("/test-support/") ||
  file.startsWith(join(root, "packages/testkit/"));

/** Every key of `OrchestratorConfig` declared in the schema files, depth first. */
function schemaKeys(checker: ts.TypeChecker, program: ts.Program): Key[] {
  const schema = program.getSourceFile(join(configSrc, "schema.ts"));
  const alias = schema?.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "OrchestratorConfig",
  );
  if (!alias) throw new Error("OrchestratorConfig not found in packages/config/src/schema.ts");
  const keys: Key[] = [];
  const seen = new Set<ts.Type>();
  const visit = (type: ts.Type, path: readonly string[]) => {
    for (const t of type.isUnion() ? type.types : [type]) {
      if (!(t.flags & ts.TypeFlags.Object) || seen.has(t)) continue;
      seen.add(t);
      if (checker.isArrayType(t)) {
        const item = checker.getTypeArguments(t as ts.TypeReference)[0];
        if (item) visit(item, [...path, "[]"]);
        continue;
      }
      for (const index of checker.getIndexInfosOfType(t)) visit(index.type, [...path, "*"]);
      for (const p of checker.getPropertiesOfType(t)) {
        const decl = p.declarations?.[0];
        if (!decl || !isSchemaFile(decl.getSourceFile().fileName)) continue;
        const key = { path: [...path, p.name], decl };
        keys.push(key);
        visit(checker.getTypeOfSymbol(p), key.path);
      }
    }
  };
  visit(checker.getTypeAtLocation(alias.name), []);
  return keys;
}

/** Where code reads a key; empty when nothing does. */
function analyse(): { keys: Map<string, string[]>; ms: number } {
  const started = performance.now();
  const service = languageService();
  const program = service.getProgram();
  if (!program) throw new Error("no program");
  const checker = program.getTypeChecker();
  const at = (node: ts.Node) => {
    const sf = node.getSourceFile();
    return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  // Element accesses with literal keys (`patch[dir]` where `dir: "input" | "output"`): find-references
  // does not report them, so they are collected once, by the declarations of the properties they read.
  const dynamic = new Map<ts.Declaration, ts.Node[]>();
  const collect = (node: ts.Node) => {
    if (ts.isElementAccessExpression(node)) {
      const keyType = checker.getTypeAtLocation(node.argumentExpression);
      const target = checker.getNonNullableType(checker.getTypeAtLocation(node.expression));
      for (const literal of keyType.isUnion() ? keyType.types : [keyType]) {
        if (!literal.isStringLiteral()) continue;
        for (const d of checker.getPropertyOfType(target, literal.value)?.declarations ?? []) {
          dynamic.set(d, [...(dynamic.get(d) ?? []), node]);
        }
      }
    }
    ts.forEachChild(node, collect);
  };
  for (const file of program.getSourceFiles()) {
    if (!file.isDeclarationFile && !isExcluded(file.fileName) && !file.fileName.includes("/node_modules/"))
      collect(file);
  }

  /** References of a declaration outside the excluded folders, without the declaration itself. */
  const references = (decl: ts.Declaration): ts.Identifier[] => {
    const sf = decl.getSourceFile();
    const name = ts.getNameOfDeclaration(decl) ?? decl;
    const out: ts.Identifier[] = [];
    for (const symbol of service.findReferences(sf.fileName, name.getStart(sf)) ?? []) {
      for (const ref of symbol.references) {
        if (isExcluded(ref.fileName)) continue;
        const file = program.getSourceFile(ref.fileName);
        const node = file && findToken(file, ref.textSpan.start);
        if (node && ts.isIdentifier(node) && node !== name) out.push(node);
      }
    }
    return out;
  };

  /** The places that read a property declaration (not declare it or set it in an object literal). */
  const reads = (decl: ts.Declaration): ts.Node[] => [
    ...references(decl).filter((node) => {
      const parent = node.parent;
      const declares =
        (ts.isPropertySignature(parent) ||
          ts.isPropertyDeclaration(parent) ||
          ts.isPropertyAssignment(parent) ||
          ts.isShorthandPropertyAssignment(parent)) &&
        parent.name === node;
      return !declares;
    }),
    ...(dynamic.get(decl) ?? []),
  ];

  /** The expressions that carry a read value on: the access itself, or the uses of a variable holding it. */
  const values = (read: ts.Node, depth = 0): ts.Expression[] => {
    const parent = read.parent;
    if (ts.isBindingElement(parent) && ts.isIdentifier(parent.name)) {
      return depth < 3 ? references(parent).flatMap((use) => values(use, depth + 1)) : [];
    }
    let expr: ts.Node = ts.isPropertyAccessExpression(parent) && parent.name === read ? parent : read;
    while (ts.isParenthesizedExpression(expr.parent) || ts.isNonNullExpression(expr.parent))
      expr = expr.parent;
    const holder = expr.parent;
    if (ts.isVariableDeclaration(holder) && holder.initializer === expr && ts.isIdentifier(holder.name)) {
      return depth < 3 ? references(holder).flatMap((use) => values(use, depth + 1)) : [];
    }
    return ts.isExpression(expr) ? [expr] : [];
  };

  /** The destination type's property at `rest` below a handed-over value, as readers. */
  const handedOver = (value: ts.Expression, rest: readonly string[]): string[] => {
    let types: ts.Type[] = [];
    if (ts.isShorthandPropertyAssignment(value.parent)) {
      const literal = checker.getContextualType(value.parent.parent);
      const prop =
        literal && checker.getPropertyOfType(checker.getNonNullableType(literal), value.parent.name.text);
      if (prop) types = [checker.getTypeOfSymbol(prop)];
    } else {
      const contextual = checker.getContextualType(value);
      if (contextual) types = [contextual];
    }
    const out: string[] = [];
    for (const [i, segment] of rest.entries()) {
      const next: ts.Type[] = [];
      for (const type of types.flatMap((t) => (t.isUnion() ? t.types : [t]))) {
        if (segment === "*" || segment === "[]") {
          const item = checker.getIndexInfosOfType(type)[0]?.type;
          if (item) next.push(item);
          continue;
        }
        const prop = checker.getPropertyOfType(type, segment);
        if (!prop) continue;
        if (i < rest.length - 1) next.push(checker.getTypeOfSymbol(prop));
        else if (!prop.declarations?.length) out.push(`${at(value)} (required by a mapped type)`);
        else
          for (const d of prop.declarations)
            if (!isSchemaFile(d.getSourceFile().fileName)) out.push(...reads(d).map(at));
      }
      types = next;
    }
    return out;
  };

  const keys = schemaKeys(checker, program);
  const result = new Map<string, string[]>();
  for (const [index, key] of keys.entries()) {
    const readers = key.decl ? reads(key.decl).map(at) : [];
    // Hand-overs of this key or of an ancestor (the nearest ancestors first).
    for (let up = index; readers.length === 0 && up >= 0; up--) {
      const ancestor = keys[up];
      if (!ancestor?.decl || !isPrefix(ancestor.path, key.path)) continue;
      const rest = key.path.slice(ancestor.path.length);
      for (const read of reads(ancestor.decl)) {
        for (const value of values(read)) readers.push(...handedOver(value, rest));
      }
    }
    result.set(key.path.join(".").replaceAll(".[]", "[]"), readers);
  }
  return { keys: result, ms: Math.round(performance.now() - started) };
}

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length < path.length && prefix.every((s, i) => path[i] === s);

/** The innermost token at a position. */
function findToken(file: ts.SourceFile, position: number): ts.Node | undefined {
  const inner = (node: ts.Node): ts.Node | undefined =>
    position >= node.getStart(file) && position < node.getEnd()
      ? (ts.forEachChild(node, inner) ?? node)
      : undefined;
  return inner(file);
}

describe("every config key is read by code", () => {
  let keys = new Map<string, string[]>();
  beforeAll(() => {
    const analysis = analyse();
    keys = analysis.keys;
    console.info(`config keys: ${keys.size} analysed in ${analysis.ms} ms`);
  });

  it("finds readers through zod's inferred types and through hand-overs to other packages' types", () => {
    expect(keys.get("memory.inject.maxChars")).toContainEqual(
      expect.stringMatching(/^apps\/plugin\/src\/memory\.ts:/),
    );
    expect(keys.get("healthCheck.intervalMs")).toContainEqual(
      expect.stringMatching(/^packages\/runtime\/src\//),
    );
    // Read only through the runtime's hand-over of `modelSelection` to the resolver (`modelSelection.mode`
    // also has a direct reader in the CLI now, and hand-overs are followed only for keys without one).
    expect(keys.get("modelSelection.allowPreview")).toContainEqual(
      expect.stringMatching(/^packages\/resolver\/src\//),
    );
  });

  it("has a reader for every key except EDITOR_ONLY", () => {
    const unread = [...keys].filter(([, readers]) => readers.length === 0).map(([key]) => key);
    expect(unread.filter((key) => !EDITOR_ONLY.includes(key))).toEqual([]);
  });
});
