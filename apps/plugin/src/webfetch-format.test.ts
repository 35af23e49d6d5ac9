import { describe, expect, it } from "vitest";
import { formatBody, htmlToMarkdown, htmlToText } from "./webfetch-format.js";

const HTML =
  "<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1><p>Hello <em>there</em></p><ul><li>one</li></ul><pre><code>x = 1</code></pre></body></html>";

describe("webfetch formats", () => {
  it("HTML becomes Markdown with atx headings, dash bullets and fenced code, without scripts", () => {
    const md = htmlToMarkdown(HTML);
    expect(md).toContain("# Title");
    expect(md).toContain("Hello *there*");
    expect(md).toMatch(/^-\s+one$/m);
    expect(md).toContain("```\nx = 1\n```");
    expect(md).not.toContain("alert");
  });

  it("HTML becomes text without script and style contents", () => {
    const text = htmlToText(HTML);
    expect(text).toContain("Title");
    expect(text).toContain("Hello there");
    expect(text).not.toContain("alert");
    expect(text).not.toContain("p{}");
  });

  it("only HTML is converted; html format and other types pass through", () => {
    expect(formatBody(HTML, "text/html; charset=utf-8", "html")).toBe(HTML);
    expect(formatBody("<b>x</b>", "text/plain", "markdown")).toBe("<b>x</b>");
    expect(formatBody("<b>x</b>", "text/html", "markdown")).toBe("**x**");
  });
});
