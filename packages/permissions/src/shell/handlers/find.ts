import { deny } from "../../decision.js";
import type { ShellAnalyzer } from "../analyzer.js";
import { type Arg, literalArg } from "../arg.js";
import { fork, type ShellState } from "../state.js";

/** Check `find`: its start paths, the files its actions write or read, and `-exec` commands per start path. */
export function analyzeFind(an: ShellAnalyzer, args: readonly Arg[], s: ShellState): void {
  const fs = an.env.policy.filesystem;
  if (fs === "none") deny("shell.no-file-command", "`find` touches files.", "commands that touch no file");
  let i = 0;
  const starts: Arg[] = [];
  while (i < args.length) {
    const v = (args[i] as Arg).v.value;
    if (v.startsWith("-") || v === "(" || v === "!" || v === ")") break;
    starts.push(args[i] as Arg);
    i++;
  }
  if (starts.length === 0) starts.push(literalArg("."));
  for (const st of starts) an.touch(st.v, "read", s, "The `find` start path");
  const skip1 = new Set([
    "-name",
    "-iname",
    "-path",
    "-ipath",
    "-regex",
    "-iregex",
    "-type",
    "-xtype",
    "-maxdepth",
    "-mindepth",
    "-size",
    "-mtime",
    "-mmin",
    "-atime",
    "-amin",
    "-ctime",
    "-cmin",
    "-perm",
    "-user",
    "-group",
    "-uid",
    "-gid",
    "-printf",
    "-wholename",
    "-iwholename",
    "-lname",
    "-ilname",
    "-links",
    "-inum",
    "-regextype",
    "-fstype",
    "-used",
    "-context",
  ]);
  for (; i < args.length; i++) {
    const v = (args[i] as Arg).v.value;
    if (skip1.has(v)) {
      i++;
      continue;
    }
    if (v === "-delete") {
      if (fs !== "full")
        deny("filesystem.read-only", "`find -delete` removes files.", "`find` without -delete");
      for (const st of starts) an.touch(st.v, "write", s, "The `find -delete` start path");
      continue;
    }
    if (v === "-fprint" || v === "-fprint0" || v === "-fls" || v === "-fprintf") {
      const f = args[i + 1];
      if (f) an.touch(f.v, "write", s, `The \`${v}\` file`);
      i += v === "-fprintf" ? 2 : 1;
      continue;
    }
    if (v === "-newer" || v === "-anewer" || v === "-cnewer" || v === "-samefile" || v.startsWith("-newer")) {
      const f = args[i + 1];
      if (f) an.touch(f.v, "read", s, `The \`${v}\` file`);
      i++;
      continue;
    }
    if (v === "-exec" || v === "-execdir" || v === "-ok" || v === "-okdir") {
      if (fs !== "full")
        deny(
          "shell.not-read-only",
          `\`find ${v}\` runs commands.`,
          "`find` without -exec/-delete (pipe its output to a reading command)",
        );
      let j = i + 1;
      const inner: Arg[] = [];
      while (j < args.length) {
        const w = (args[j] as Arg).v.value;
        if (w === ";" || w === "+") break;
        inner.push(args[j] as Arg);
        j++;
      }
      const [cmd, ...rest] = inner;
      if (cmd?.v.kind !== "static") {
        deny(
          "shell.dynamic-command",
          `The command run by \`find ${v}\` is missing or built at run time.`,
          "a literal command",
        );
      }
      for (const st of starts) {
        const replaced = rest.map((a) =>
          a.v.kind === "static" && a.v.value.includes("{}")
            ? { v: { ...st.v, value: a.v.value.replaceAll("{}", st.v.value) }, text: a.text }
            : a,
        );
        an.run(cmd.v.value, replaced, fork(s));
      }
      i = j;
    }
  }
}
