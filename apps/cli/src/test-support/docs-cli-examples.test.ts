import { describe, expect, it } from "vitest";
import { cliExamples, shellWords } from "./docs-cli-examples.js";

const PAGE = [
  "# Page",
  "",
  "```sh",
  "orchestra doctor              # checks everything",
  "# a comment line",
  'orchestra suggest "write a REST API"',
  "```",
  "",
  "```console",
  "$ orchestra config validate",
  "a.json: basePort: retired",
  "$ echo $?",
  "1",
  "```",
  "",
  "```sh not-runnable: needs your saved catalog",
  "orchestra resolve auto --catalog provider.json",
  "```",
  "",
  "```sh",
  "npm install @orchestra/cli",
  "orchestra doctor",
  "```",
  "",
  "```js runnable",
  "console.log(1);",
  "```",
].join("\n");

describe("the docs' CLI examples", () => {
  it("are the shell blocks whose first command is orchestra: commands without comments, console output by command, marks", () => {
    expect(cliExamples("page.md", PAGE)).toEqual([
      {
        file: "page.md",
        line: 3,
        commands: ["orchestra doctor", 'orchestra suggest "write a REST API"'],
        shown: [],
      },
      {
        file: "page.md",
        line: 9,
        commands: ["orchestra config validate", "echo $?"],
        shown: [["a.json: basePort: retired"], ["1"]],
      },
      {
        file: "page.md",
        line: 16,
        commands: ["orchestra resolve auto --catalog provider.json"],
        shown: [],
        notRunnable: "needs your saved catalog",
      },
    ]);
  });

  it("split a command into words as a shell does", () => {
    expect(shellWords(`orchestra suggest "write a \\"REST\\" API" --json`)).toEqual([
      "orchestra",
      "suggest",
      'write a "REST" API',
      "--json",
    ]);
    expect(shellWords("orchestra x 'a b' c\\ d ''")).toEqual(["orchestra", "x", "a b", "c d", ""]);
    expect(() => shellWords('orchestra "open')).toThrow(/unclosed/);
  });
});
