import { describe, expect, it } from "vitest";
import { checkResult } from "./check.js";
import { doctorReport, formatReport, withProgress } from "./report.js";

describe("doctorReport", () => {
  it("is ok with warnings, not ok with one failure", () => {
    expect(doctorReport([checkResult("a", "pass", "x"), checkResult("b", "warn", "y", "do z")]).ok).toBe(
      true,
    );
    expect(doctorReport([checkResult("a", "pass", "x"), checkResult("b", "fail", "y")]).ok).toBe(false);
  });

  it("puts a hint only when one is given", () => {
    expect(checkResult("a", "pass", "x")).toStrictEqual({ id: "a", status: "pass", message: "x" });
    expect(checkResult("a", "warn", "x", "do y")).toStrictEqual({
      id: "a",
      status: "warn",
      message: "x",
      hint: "do y",
    });
  });
});

describe("formatReport", () => {
  it("prints one line per check with a mark, further lines and the hint indented, then a summary", () => {
    const text = formatReport(
      doctorReport([
        checkResult("opencode", "pass", "OpenCode 1.18.33"),
        checkResult("config", "fail", "2 errors:\na: bad\nb: bad", "fix them"),
        checkResult("plugin-deps", "warn", "not installed"),
      ]),
    );
    expect(text).toBe(
      [
        "✓ opencode     OpenCode 1.18.33",
        "✗ config       2 errors:",
        "               a: bad",
        "               b: bad",
        "               hint: fix them",
        "! plugin-deps  not installed",
        "",
        "not ok: 1 failed, 1 warning, 1 passed",
        "",
      ].join("\n"),
    );
  });
});

describe("withProgress", () => {
  it("says a step is still running while it takes long, and nothing once it is done", async () => {
    const lines: string[] = [];
    let release: () => void = () => undefined;
    const wrote = new Promise<void>((resolve) => {
      release = resolve;
    });
    const result = await withProgress(
      "asking the server",
      async () => {
        await wrote;
        return 42;
      },
      (line) => {
        lines.push(line);
        if (lines.length === 2) release();
      },
      { afterMs: 1, everyMs: 1 },
    );
    expect(result).toBe(42);
    expect(lines[0]).toMatch(/^doctor: still asking the server… \(\d+ s\)\n$/);
    const count = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toHaveLength(count);
  });

  it("writes nothing for a quick step", async () => {
    const lines: string[] = [];
    expect(
      await withProgress(
        "x",
        () => "done",
        (l) => lines.push(l),
      ),
    ).toBe("done");
    expect(lines).toEqual([]);
  });
});
