import { describe, expect, it } from "vitest";
import { decideRedirect, decideUrl, parseUrl } from "./network.js";

const RESERVED = [4096, 4097];

describe("host names are case-insensitive", () => {
  it.each([
    ["http://LOCALHOST:3000/", "localhost", 3000],
    ["http://LocalHost/", "localhost", 80],
    ["HTTPS://LOCALHOST/x", "localhost", 443],
    ["http://[::1]:8080/", "[::1]", 8080],
  ])("%s is host %s", (url, host, port) => {
    expect(parseUrl(url)).toEqual({
      scheme: url.toLowerCase().startsWith("https") ? "https" : "http",
      host,
      port,
    });
  });

  it.each(["http://LOCALHOST:3000/", "http://LocalHost/", "HTTP://LOCALHOST:8080/path?q=1"])(
    "%s is allowed under network: localhost",
    (url) => {
      expect(decideUrl(url, "localhost", RESERVED)).toMatchObject({ decision: "allow" });
    },
  );

  // Upper case never turns a refused spelling into an accepted one.
  it.each([
    ["http://LOCALHOST:4096/", "network.reserved-port"],
    ["http://LOCALHOST./", "network.not-localhost"],
    ["http://0X7F.1/", "network.not-localhost"],
    ["http://0X7F000001/", "network.not-localhost"],
    ["http://[::FFFF:127.0.0.1]/", "network.not-localhost"],
    ["http://[::FFFF:7F00:1]/", "network.not-localhost"],
    ["http://USER@LOCALHOST/", "network.invalid-url"],
    ["http://LOCALHOST\\@EVIL.COM/", "network.invalid-url"],
    ["http://LOCALHOST.NIP.IO/", "network.not-localhost"],
    ["http://LOCALHOſT/", "network.invalid-url"],
    ["http://LOCALHOST%2E/", "network.invalid-url"],
    ["http://0.0.0.0/", "network.not-localhost"],
    ["http://2130706433/", "network.not-localhost"],
    ["http://127.1/", "network.not-localhost"],
    ["http://0177.0.0.1/", "network.not-localhost"],
  ])("%s is still denied (%s)", (url, rule) => {
    expect(decideUrl(url, "localhost", RESERVED)).toMatchObject({ decision: "deny", rule });
  });
});

describe("decideRedirect", () => {
  const from = "http://127.0.0.1:5000/start";

  it.each([
    ["/next", "http://127.0.0.1:5000/next"],
    ["next?x=1", "http://127.0.0.1:5000/next?x=1"],
    ["?page=2", "http://127.0.0.1:5000/start?page=2"],
    ["http://LOCALHOST:5001/", "http://localhost:5001/"],
    ["//localhost:5002/a", "http://localhost:5002/a"],
    ["http://[::1]:5003/", "http://[::1]:5003/"],
  ])("%s from %s is allowed and resolves", (location, url) => {
    expect(decideRedirect(from, location, "localhost", RESERVED)).toMatchObject({ decision: "allow", url });
  });

  it.each([
    ["http://127.0.0.1:4096/session", "network.reserved-port"],
    ["http://LOCALHOST:4097/session", "network.reserved-port"],
    ["//127.0.0.1:4096/session", "network.reserved-port"],
    ["http://0.0.0.0:5000/", "network.not-localhost"],
    ["http://2130706433:5000/", "network.not-localhost"],
    // Scheme-relative: WHATWG would rewrite the host to 127.0.0.1; as written it is a hex spelling.
    ["//0x7f.1:5000/", "network.not-localhost"],
    ["http://[::ffff:127.0.0.1]:5000/", "network.not-localhost"],
    ["http://localhost.:5000/", "network.not-localhost"],
    ["https://example.com/", "network.not-localhost"],
    ["//example.com/", "network.not-localhost"],
    // WHATWG reads `\` as `/`, so `/\host` would be scheme-relative.
    ["/\\example.com/", "network.invalid-url"],
    ["\\\\example.com/", "network.invalid-url"],
    ["http://user@localhost:5000/", "network.invalid-url"],
    ["file:///etc/passwd", "network.invalid-url"],
    ["javascript:alert(1)", "network.invalid-url"],
    ["http:example.com", "network.invalid-url"],
    ["http://localhost:5000/\r\nX: y", "network.invalid-url"],
    ["http://[::1", "network.invalid-url"],
  ])("%s is denied (%s)", (location, rule) => {
    const d = decideRedirect(from, location, "localhost", RESERVED);
    expect(d).toMatchObject({ decision: "deny", rule });
    expect(d.url).toBeUndefined();
    expect(d.reason).toContain("Allowed instead:");
  });

  it("a relative Location keeps the host it came from, reserved port included", () => {
    expect(decideRedirect("http://localhost:4096/a", "/session", "localhost", [])).toMatchObject({
      decision: "allow",
    });
    expect(decideRedirect("http://localhost:4096/a", "/session", "localhost", RESERVED)).toMatchObject({
      decision: "deny",
      rule: "network.reserved-port",
    });
  });

  it("network: none refuses every hop; network: full lets a remote hop through", () => {
    expect(decideRedirect(from, "/x", "none", [])).toMatchObject({ decision: "deny", rule: "network.none" });
    expect(decideRedirect(from, "https://example.com/x", "full", [])).toMatchObject({
      decision: "allow",
      url: "https://example.com/x",
    });
  });
});
