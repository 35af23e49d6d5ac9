import { OrchestraError } from "@orchestra/core";
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { reportFailure } from "./report-failure.js";
import { UsageError } from "./usage-error.js";

function capture(json: boolean, debug = false) {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    options: {
      json,
      debug,
      command: "orchestra test",
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
    },
  };
}

class SampleError extends OrchestraError<"CORE_SAMPLE"> {}

describe("reportFailure", () => {
  it("an orchestra error: its code, message and hints; exit 1", () => {
    const { out, options } = capture(true);
    const error = new SampleError("CORE_SAMPLE", "it broke", { hints: ["do this"] });
    expect(reportFailure(error, options)).toBe(1);
    expect(JSON.parse(out.stdout)).toEqual({
      ok: false,
      code: "CORE_SAMPLE",
      message: "it broke",
      hints: ["do this"],
    });
    expect(out.stderr).toBe("");
  });

  it("a usage error exits 2, as text on stderr without --json", () => {
    const { out, options } = capture(false);
    expect(reportFailure(new UsageError("give an id", { hints: ["like this"] }), options)).toBe(2);
    expect(out).toEqual({ stdout: "", stderr: "orchestra test: give an id\n  hint: like this\n" });
  });

  it("a commander error exits 2; commander has printed the text, so only --json adds output", () => {
    const error = new CommanderError(
      1,
      "commander.invalidArgument",
      "error: option '--x' argument 'y' is invalid.",
    );
    const text = capture(false);
    expect(reportFailure(error, text.options)).toBe(2);
    expect(text.out).toEqual({ stdout: "", stderr: "" });
    const json = capture(true);
    expect(reportFailure(error, json.options)).toBe(2);
    expect(JSON.parse(json.out.stdout)).toEqual({
      ok: false,
      code: "CLI_USAGE",
      message: "option '--x' argument 'y' is invalid.",
      hints: ["run the command with --help for its usage"],
    });
  });

  it("an unexpected error: CLI_INTERNAL, exit 1, no stack unless ORCHESTRA_DEBUG", () => {
    const quiet = capture(false);
    expect(reportFailure(new TypeError("Invalid URL"), quiet.options)).toBe(1);
    expect(quiet.out.stderr).toMatch(/^orchestra test: internal error: Invalid URL\n {2}hint: this is a bug/);
    expect(quiet.out.stderr).not.toContain("    at ");
    const debug = capture(false, true);
    reportFailure(new TypeError("Invalid URL"), debug.options);
    expect(debug.out.stderr).toContain("    at ");
    const json = capture(true);
    reportFailure("a string", json.options);
    expect(JSON.parse(json.out.stdout)).toMatchObject({
      ok: false,
      code: "CLI_INTERNAL",
      message: "a string",
    });
  });
});
