import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { httpProbe } from "./http-probe.js";

let server: Server | undefined;
const seen: IncomingMessage[] = [];

async function serve(status: number | "hang"): Promise<string> {
  server = createServer((req, res) => {
    seen.push(req);
    if (status === "hang") return;
    res.writeHead(status).end("body");
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  seen.length = 0;
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

const never = new AbortController().signal;

describe("httpProbe", () => {
  it("maps 2xx to ok and requests the given path", async () => {
    const url = await serve(204);
    expect(await httpProbe(url, { path: "/session" })(never)).toEqual({ status: "ok" });
    expect(seen[0]?.url).toBe("/session");
  });

  it("maps 401 and 403 to misconfigured, without leaking the password", async () => {
    for (const code of [401, 403]) {
      const url = await serve(code);
      const result = await httpProbe(url, { auth: { username: "opencode", password: "s3cret" } })(never);
      expect(result.status).toBe("misconfigured");
      expect(JSON.stringify(result)).not.toContain("s3cret");
      server?.close();
    }
  });

  it("maps other statuses to fail", async () => {
    const url = await serve(503);
    expect(await httpProbe(url)(never)).toEqual({
      status: "fail",
      reason: expect.stringContaining("HTTP 503"),
    });
  });

  it("sends basic auth, from options or from the URL's userinfo", async () => {
    const url = await serve(200);
    await httpProbe(url, { auth: { username: "opencode", password: "pw" } })(never);
    const withUserinfo = url.replace("http://", "http://me:p%40ss@");
    expect(await httpProbe(withUserinfo)(never)).toEqual({ status: "ok" });
    expect(seen.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from("opencode:pw").toString("base64")}`,
      `Basic ${Buffer.from("me:p@ss").toString("base64")}`,
    ]);
  });

  it("fails (does not throw) when the caller's signal aborts a hung request", async () => {
    const url = await serve("hang");
    const controller = new AbortController();
    const pending = httpProbe(url)(controller.signal);
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await pending).toEqual({ status: "fail", reason: expect.stringContaining("aborted") });
  });

  it("applies its own timeoutMs when given", async () => {
    const url = await serve("hang");
    expect((await httpProbe(url, { timeoutMs: 50 })(never)).status).toBe("fail");
  });

  it("fails when nothing listens", async () => {
    const url = await serve(200);
    server?.close();
    await new Promise((r) => setTimeout(r, 10));
    const result = await httpProbe(url)(never);
    expect(result).toEqual({ status: "fail", reason: expect.stringContaining("failed") });
  });
});
