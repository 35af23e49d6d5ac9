import { lstatSync, readlinkSync } from "node:fs";
import { posix } from "node:path";
import picomatch from "picomatch";
import type { CheckContext } from "./context.js";
import { CONTROL_FILE_SUMMARY, homeControlDirs, isControlPath } from "./control-files.js";
import { deny } from "./decision.js";

/** How a path is touched. */
export type Access = "read" | "write";

const CONTROL_CHARS = /(?![\n\t])[\p{Cc}\p{Cf}\u2028\u2029]/u;
const MAX_LINK_HOPS = 40;

/** One compiled glob. */
interface CompiledGlob {
  readonly source: string;
  readonly absolute: string;
  readonly test: (path: string) => boolean;
}

/**
 * Path normalisation, symlink resolution and glob matching for one (permissions, context) pair.
 * Deny beats allow; control files are never writable; `\` is denied.
 */
export class PathPolicy {
  readonly cwd: string;
  readonly home: string;
  private readonly ci: boolean;
  private readonly user: string | undefined;
  private readonly links: Map<string, string> | undefined;
  /** Every list must have a matching glob (an intersection of unions). */
  private readonly allowed: readonly (readonly CompiledGlob[])[];
  private readonly denied: readonly CompiledGlob[];
  private readonly controlDirs: readonly string[];
  /** Human summary of what is allowed, for deny messages. */
  readonly allowedSummary: string;

  constructor(
    context: CheckContext,
    allowed: readonly (readonly string[])[] | undefined,
    denied: readonly string[],
  ) {
    this.ci = context.caseInsensitiveFs;
    this.user = context.user;
    if (context.symlinks) {
      this.links = new Map();
      for (const [from, to] of Object.entries(context.symlinks)) {
        this.links.set(this.key(posix.resolve(from)), to);
      }
    }
    this.home = this.resolve(posix.resolve(context.home));
    this.cwd = this.resolve(posix.resolve(context.cwd));
    this.controlDirs = [
      ...homeControlDirs(this.home),
      ...(context.controlDirs ?? []).map((d) => this.resolve(posix.resolve(d))),
    ];
    const lists = allowed ?? [[this.cwd, `${this.cwd}/**`]];
    this.allowed = lists.map((list) => list.map((g) => this.compile(g)));
    this.denied = denied.map((g) => this.compile(g));
    const show = (list: readonly string[]) =>
      list.length === 0 ? "no path at all" : list.map((g) => `\`${g}\``).join(", ");
    this.allowedSummary =
      (allowed === undefined
        ? `the project root (${this.cwd}) and below`
        : allowed.length === 1
          ? `paths matching ${show(allowed[0] as readonly string[])}`
          : `paths matching ${allowed.map((l) => `one of (${show(l)})`).join(" and ")}`) +
      (denied.length > 0 ? ` and no denied glob (${denied.map((g) => `\`${g}\``).join(", ")})` : "");
  }

  private key(p: string): string {
    return this.ci ? p.toLowerCase() : p;
  }

  private compile(glob: string): CompiledGlob {
    const expanded = this.expandHome(glob, true);
    const joined = expanded.startsWith("/") ? expanded : posix.join(this.cwd, expanded);
    const scan = picomatch.scan(joined);
    const base = scan.base === "" ? "/" : this.resolve(posix.resolve(scan.base));
    const absolute = scan.glob === "" ? base : posix.join(base, scan.glob);
    const matcher = picomatch(absolute, { dot: true, nocase: this.ci, windows: false });
    return { source: glob, absolute, test: (p) => matcher(p) };
  }

  /** Expand a leading `~`, `~user`, `~+`, `$HOME` or `${HOME}`. Throws a denial for `~other` or `~-`. */
  expandHome(raw: string, allowHomeVar: boolean): string {
    if (raw.startsWith("~")) {
      const slash = raw.indexOf("/");
      const head = slash === -1 ? raw : raw.slice(0, slash);
      const rest = slash === -1 ? "" : raw.slice(slash);
      if (head === "~") return this.home + rest;
      if (head === "~+") return this.cwd + rest;
      const name = head.slice(1);
      if (name !== "" && name === this.user) return this.home + rest;
      deny(
        "paths.unresolvable",
        `\`${head}\` names a home directory that cannot be resolved statically.`,
        "`~` or an absolute path",
      );
    }
    if (allowHomeVar) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell spelling of $HOME
      for (const v of ["$HOME", "${HOME}"]) {
        if (raw === v || raw.startsWith(`${v}/`)) return this.home + raw.slice(v.length);
      }
    }
    return raw;
  }

  /** Turn a raw path argument into an absolute, symlink-resolved path. */
  absolute(raw: string, base: string, what: string, expand = true): string {
    if (raw.includes("\\")) {
      deny("paths.backslash", `${what} \`${raw}\` contains a backslash.`, "the same path written with `/`");
    }
    if (CONTROL_CHARS.test(raw) || raw.includes("\n")) {
      deny("shell.control-char", `${what} contains control or format characters.`, "a plain path");
    }
    const expanded = expand ? this.expandHome(raw, true) : raw;
    return this.resolve(expanded.startsWith("/") ? expanded : `${base}/${expanded}`);
  }

  /** Resolve `.`, `..` and symlinks component by component, as the kernel would. */
  resolve(path: string): string {
    let parts = path.split("/");
    let out = "";
    let hops = 0;
    let exists = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === "" || part === ".") continue;
      if (part === "..") {
        out = out.slice(0, Math.max(0, out.lastIndexOf("/")));
        continue;
      }
      const next = `${out}/${part}`;
      const target = exists ? this.readLink(next) : undefined;
      if (target === null) {
        exists = false;
        out = next;
        continue;
      }
      if (target !== undefined) {
        if (++hops > MAX_LINK_HOPS) {
          deny(
            "paths.unresolvable",
            `Too many symbolic links resolving \`${path}\`.`,
            "a path without a link loop",
          );
        }
        const rest = parts.slice(i + 1);
        const resolvedTarget = target.startsWith("/") ? target : `${out}/${target}`;
        parts = [...resolvedTarget.split("/"), ...rest];
        out = "";
        i = -1;
        continue;
      }
      out = next;
    }
    return out === "" ? "/" : out;
  }

  /** The link target, `undefined` for a non-link, `null` when the path does not exist. */
  private readLink(path: string): string | undefined | null {
    if (this.links) return this.links.get(this.key(path));
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return null;
    if (!stat.isSymbolicLink()) return undefined;
    try {
      return readlinkSync(path);
    } catch {
      return null;
    }
  }

  /**
   * True when `path` (absolute, resolved) is a control file: anything {@link isControlPath} names, at
   * any depth, or anything in the {@link homeControlDirs} (the OpenCode config dir, orchestra's state and cache)
   * or in the context's `controlDirs` (a custom git hooks folder).
   */
  isControlFile(path: string): boolean {
    const p = this.key(path);
    for (const dir of this.controlDirs) {
      const g = this.key(dir);
      if (p === g || p.startsWith(`${g}/`)) return true;
    }
    return isControlPath(path, { caseInsensitive: this.ci });
  }

  /** Throws a denial unless `path` (absolute, resolved) may be accessed this way. */
  check(path: string, access: Access, shown: string): void {
    if (access === "write" && this.isControlFile(path)) {
      deny(
        "paths.control-file",
        `Writing \`${shown}\` (${path}) touches an orchestrator, OpenCode or git control file.`,
        `writes elsewhere in the project; ${CONTROL_FILE_SUMMARY}`,
      );
    }
    for (const g of this.denied) {
      if (g.test(path)) {
        deny(
          "paths.denied",
          `\`${shown}\` (${path}) matches the denied glob \`${g.source}\`.`,
          this.allowedSummary,
        );
      }
    }
    if (this.allowedByEveryList(path)) return;
    deny("paths.not-allowed", `\`${shown}\` (${path}) is outside the allowed paths.`, this.allowedSummary);
  }

  /**
   * Why `path` (absolute, resolved) may not be read, or `undefined` when it may: the rule and a
   * clause such as "matches the denied glob `secrets/**`".
   */
  readDenial(path: string): { rule: "paths.denied" | "paths.not-allowed"; why: string } | undefined {
    const g = this.denied.find((d) => d.test(path));
    if (g) return { rule: "paths.denied", why: `matches the denied glob \`${g.source}\`` };
    if (this.allowedByEveryList(path)) return undefined;
    return { rule: "paths.not-allowed", why: "is outside the allowed paths" };
  }

  /** The `paths.denied` globs as written in the profile. */
  deniedSources(): readonly string[] {
    return this.denied.map((g) => g.source);
  }

  /** True when `path` may be read (no throw). */
  readable(path: string): boolean {
    if (this.denied.some((g) => g.test(path))) return false;
    return this.allowedByEveryList(path);
  }

  private allowedByEveryList(path: string): boolean {
    return this.allowed.every((list) => list.some((g) => g.test(path)));
  }
}
