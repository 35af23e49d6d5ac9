import { describe, expect, it } from "vitest";
import { terminalSafe } from "./terminal-text.js";

describe("terminalSafe", () => {
  it("keeps ordinary text, tabs, newlines and non-ASCII letters", () => {
    expect(terminalSafe("Héllo\tworld\nsecond line ✓")).toBe("Héllo\tworld\nsecond line ✓");
  });

  it("removes an OSC 0 window title and an OSC 52 clipboard write, ended by BEL or ST", () => {
    expect(terminalSafe("a\u001b]0;pwned\u0007b")).toBe("ab");
    expect(terminalSafe("a\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u001b\\b")).toBe("ab");
  });

  it("removes CSI sequences (colours, cursor moves, screen clears)", () => {
    expect(terminalSafe("\u001b[31mred\u001b[0m \u001b[2J\u001b[1;1Hhome")).toBe("red home");
  });

  it("removes other escapes, carriage returns, backspaces, DEL and C1 controls", () => {
    expect(terminalSafe("safe\rfake\u0008x\u007fy\u009b31mz\u001bcq")).toBe("safefakexy31mzq");
  });

  it("leaves nothing a terminal acts on when a sequence is cut at the end of a chunk", () => {
    expect(terminalSafe("text\u001b]0;tit")).toBe("text");
    expect(terminalSafe("le\u0007more")).toBe("lemore");
    expect(terminalSafe("x\u001b")).toBe("x");
  });
});
