import { describe, expect, it } from "vitest";
import { check } from "../../check.js";
import { ctx, type ProfileName, profiles } from "../../test-fixtures.js";
import { COMMANDS, INTERPRETERS, NETWORK_COMMANDS, OPAQUE_WRAPPERS, SHELLS } from "../commands.js";
import { HANDLERS } from "./table.js";

const OPTION_TABLE_PROGRAMS = ["sed", "sort", "diff", "tar", "dd", "cp", "mv", "jq"];

describe("the command handler table", () => {
  it("covers cd, the wrappers, git, the package managers, curl/wget, find, the shells, the interpreters and the name-taking builtins", () => {
    const expected = [
      "cd",
      "env",
      "timeout",
      "nice",
      "nohup",
      "command",
      "stdbuf",
      "time",
      "git",
      "npm",
      "pnpm",
      "yarn",
      "bun",
      "curl",
      "wget",
      "find",
      ...SHELLS,
      ...Object.keys(INTERPRETERS),
      "printf",
      "wait",
      "read",
      "unset",
    ];
    expect([...HANDLERS.keys()].sort()).toEqual([...new Set(expected)].sort());
  });

  // The dispatcher runs a handler before the opaque-wrapper deny and the network gate; that order is
  // only sound while no handled name is an opaque wrapper, a network command or an option-table program.
  it("names no opaque wrapper, network command or option-table program", () => {
    for (const name of HANDLERS.keys()) {
      expect(OPAQUE_WRAPPERS.has(name), name).toBe(false);
      expect(NETWORK_COMMANDS.has(name), name).toBe(false);
      expect(OPTION_TABLE_PROGRAMS.includes(name), name).toBe(false);
    }
  });
});

describe("command names that are Object.prototype members", () => {
  const run = (profile: ProfileName, command: string) =>
    check(profiles[profile], { tool: "bash", args: { command } }, ctx);

  // `toString` used to be looked up with `in` and read as an interpreter: a bare `toString` was
  // "without a script file" and `toString -e x` crashed the validator ("inline is not iterable").
  it.each([
    ["coder", "toString"],
    ["coder", "toString -e x"],
    ["coder", "hasOwnProperty ./a"],
    ["coder", "constructor ./a"],
    ["coder", "__proto__ ./a"],
    ["coder", "valueOf ~/.ssh/id_rsa"],
    ["reviewer", "toString"],
    ["reviewer", "constructor ./a"],
    ["noFiles", "toString"],
  ] as const)("%s: `%s` is checked like any unknown command", (profile, command) => {
    const name = command.split(" ")[0] as string;
    const unknown = run(profile, command.replace(name, "frobnicate"));
    const d = run(profile, command);
    expect(d.rule, d.reason).toBe(unknown.rule);
    expect(d.reason).toBe(unknown.reason.replaceAll("frobnicate", name));
    expect(Object.hasOwn(COMMANDS, name)).toBe(false);
  });
});
