import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import type { Arg } from "../arg.js";
import type { ShellState } from "../state.js";

const NETWORK_OPS = new Set([
  "install",
  "i",
  "in",
  "ins",
  "inst",
  "insta",
  "instal",
  "isnt",
  "isnta",
  "isntal",
  "add",
  "a",
  "ci",
  "clean-install",
  "ic",
  "install-clean",
  "isntall-clean",
  "update",
  "up",
  "upgrade",
  "udpate",
  "uninstall",
  "un",
  "unlink",
  "remove",
  "rm",
  "r",
  "publish",
  "unpublish",
  "audit",
  "outdated",
  "view",
  "v",
  "info",
  "show",
  "search",
  "s",
  "se",
  "find",
  "login",
  "adduser",
  "logout",
  "whoami",
  "ping",
  "dedupe",
  "ddp",
  "prune",
  "fund",
  "doctor",
  "pack",
  "version",
  "init",
  "create",
  "link",
  "ln",
  "rebuild",
  "rb",
  "install-test",
  "it",
  "install-ci-test",
  "cit",
  "deprecate",
  "dist-tag",
  "owner",
  "access",
  "team",
  "token",
  "org",
  "profile",
  "star",
  "stars",
  "unstar",
  "repo",
  "docs",
  "home",
  "bugs",
  "issues",
  "hook",
  "fetch",
  "import",
  "pm",
  "patch",
  "patch-commit",
  "c",
  "upgrade-interactive",
]);
const INLINE = new Set(["exec", "x", "dlx"]);
const LOCAL_INFO = new Set([
  "ls",
  "list",
  "la",
  "ll",
  "explain",
  "why",
  "help",
  "root",
  "prefix",
  "bin",
  "-v",
  "--version",
  "-h",
  "--help",
]);
const LIFECYCLE: Readonly<Record<string, string>> = {
  test: "test",
  t: "test",
  tst: "test",
  start: "start",
  stop: "stop",
  restart: "restart",
};
const HARMLESS_GLOBAL = /^(-s|--silent|-q|--quiet|--loglevel=\w+|--no-color|--color=\w+|--if-present|--bun)$/;

function scripts(an: ShellAnalyzer): Record<string, unknown> | undefined {
  const pj = an.env.context.packageJson;
  if (typeof pj !== "object" || pj === null) return undefined;
  const sc = (pj as Record<string, unknown>).scripts;
  return typeof sc === "object" && sc !== null ? (sc as Record<string, unknown>) : undefined;
}

/** Check `npm`, `pnpm`, `yarn` or `bun` invocations: scripts by their body, installs as network operations. */
export function analyzePackageManager(
  an: ShellAnalyzer,
  pm: string,
  args: readonly Arg[],
  s: ShellState,
): void {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    if (a.v.kind !== "static")
      deny("shell.dynamic-command", `The \`${pm}\` subcommand is built at run time.`, "a literal subcommand");
    const v = a.v.value;
    if (!v.startsWith("-") || LOCAL_INFO.has(v)) break;
    if (pm === "bun" && /^(-e|--eval|-p|--print)(=.*)?$/.test(v)) {
      deny("shell.inline-code", `\`bun ${v}\` runs inline code.`, "`bun run <script>` or `bun <file>`");
    }
    if (!HARMLESS_GLOBAL.test(v)) {
      deny(
        "npm.unsupported",
        `The \`${pm}\` option \`${v}\` before the subcommand is not supported by the validator.`,
        `\`${pm} <subcommand>\` run from the project root`,
      );
    }
  }
  const subArg = args[i];
  if (!subArg) {
    deny("npm.unsupported", `\`${pm}\` without a subcommand is not supported.`, `\`${pm} run <script>\``);
  }
  const sub = subArg.v.value;
  const rest = args.slice(i + 1);
  const fs = an.env.policy.filesystem;
  if (INLINE.has(sub) || (pm === "bun" && sub === "x")) {
    deny(
      "shell.inline-code",
      `\`${pm} ${sub}\` runs a package resolved at run time (inline code).`,
      "an npm script from package.json (`npm run <script>`)",
    );
  }
  if (LOCAL_INFO.has(sub)) {
    if (fs === "none")
      deny("shell.no-file-command", `\`${pm} ${sub}\` reads the project.`, "commands that touch no file");
    return;
  }
  if (pm === "bun" && sub === "repl")
    deny("shell.unbounded", "`bun repl` reads code interactively.", "`bun <file>`");
  if (NETWORK_OPS.has(sub) && !(pm === "bun" && sub === "a" && false)) {
    an.remoteOperation(`\`${pm} ${sub}\``);
    if (fs !== "full")
      deny("filesystem.read-only", `\`${pm} ${sub}\` writes files.`, "reading commands only");
    return;
  }
  const sc = scripts(an);
  let script: string | undefined;
  let extra: readonly Arg[] = [];
  if (sub === "run" || sub === "run-script" || sub === "rum" || sub === "urn") {
    let k = 0;
    while (k < rest.length && (rest[k] as Arg).v.value.startsWith("-")) {
      if (!HARMLESS_GLOBAL.test((rest[k] as Arg).v.value)) {
        deny(
          "npm.unsupported",
          `The option \`${(rest[k] as Arg).v.value}\` before the script name is not supported.`,
          `\`${pm} run <script>\``,
        );
      }
      k++;
    }
    const nameArg = rest[k];
    if (nameArg?.v.kind !== "static")
      deny("npm.script-missing", `\`${pm} ${sub}\` needs a literal script name.`, `\`${pm} run <script>\``);
    script = nameArg.v.value;
    extra = rest.slice(k + 1);
    if (pm === "bun" && !(sc && typeof sc[script] === "string")) {
      // `bun run <file>` runs a file.
      an.generic("bun", { access: "write" }, rest.slice(k), s);
      return;
    }
  } else if (pm === "npm" && LIFECYCLE[sub] !== undefined) {
    script = LIFECYCLE[sub];
    extra = rest;
  } else if (pm === "bun" && (sub === "test" || sub === "build")) {
    if (fs !== "full")
      deny("shell.not-read-only", `\`bun ${sub}\` runs project code.`, "reading commands only");
    an.generic("bun", { access: "write" }, rest, s);
    return;
  } else if (pm !== "npm" && sc && typeof sc[sub] === "string") {
    script = sub;
    extra = rest;
  } else if (pm !== "npm" && LIFECYCLE[sub] !== undefined) {
    script = LIFECYCLE[sub];
    extra = rest;
  } else if (pm === "bun" && /\.(m?[jt]sx?|cjs|cts)$/.test(sub)) {
    if (fs !== "full")
      deny("shell.not-read-only", `\`bun ${sub}\` runs project code.`, "reading commands only");
    an.generic("bun", { access: "write" }, args.slice(i), s);
    return;
  } else {
    deny(
      "npm.unsupported",
      `\`${pm} ${sub}\` is not supported by the validator.`,
      `\`${pm} run <script>\`, \`${pm} test\`, or \`${pm} install\` with network access`,
    );
  }
  if (!sc) {
    deny(
      "npm.script-missing",
      `No package.json is known, so what \`${pm} ${sub}\` runs cannot be checked.`,
      "pass `context.packageJson`, or run the commands directly",
    );
  }
  const body = sc[script];
  if (typeof body !== "string") {
    deny(
      "npm.script-missing",
      `package.json has no \`${script}\` script.`,
      `one of: ${
        Object.keys(sc)
          .filter((k) => typeof sc[k] === "string")
          .map((k) => `\`${k}\``)
          .join(", ") || "(none)"
      }`,
    );
  }
  // npm passes only the arguments after `--` to the script; the others configure npm itself.
  let passed = extra;
  if (pm === "npm") {
    const dd = extra.findIndex((a) => a.v.value === "--");
    passed = dd === -1 ? [] : extra.slice(dd + 1);
  } else if (passed[0]?.v.value === "--") passed = passed.slice(1);
  for (const name of [`pre${script}`, script, `post${script}`]) {
    const text = sc[name];
    if (typeof text !== "string") continue;
    const full =
      name === script && passed.length > 0 ? `${text} ${passed.map((a) => a.text).join(" ")}` : text;
    an.packageScript(full, s);
  }
}
