import { describe, expect, it } from "vitest";
import { acceptHeader } from "./webfetch-accept.js";

describe("webfetch Accept header", () => {
  it("asks for the wanted type first", () => {
    expect(acceptHeader("markdown").startsWith("text/markdown;q=1.0")).toBe(true);
    expect(acceptHeader("text").startsWith("text/plain;q=1.0")).toBe(true);
    expect(acceptHeader("html").startsWith("text/html;q=1.0")).toBe(true);
  });
});
