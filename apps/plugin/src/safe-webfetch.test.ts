// Hop-by-hop fetching against real HTTP servers on 127.0.0.1: a redirector that sends the client
// wherever a test says, and sentinels that count every request they get.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OrchestraError } from "@orchestra/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchChecked, type HopRule, MAX_REDIRECTS, type WebfetchError } from "./safe-webfetch.js";

interface Sentinel {
  server: Server;
  port: number;
  hits: string[];
}

async function listen(
  handler: (url: string, res: import("node:http").ServerResponse, port: number) => void,
): Promise<Sentinel> {
  const hits: string[] = [];
  const box: { port: number } = { port: 0 };
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req.url ?? "", res, box.port);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  box.port = (server.address() as AddressInfo).port;
  return { server, port: box.port, hits };
}

const page = (body: string) => (_url: string, res: import("node:http").ServerResponse) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(body);
};

let reserved: Sentinel;
let benign: Sentinel;
let redirector: Sentinel;

beforeAll(async () => {
  reserved = await listen(page("RESERVED-SESSION-LIST"));
  benign = await listen(page("benign page"));
  // GET /<status>?to=<url-encoded Location> answers <status> with that Location.
  redirector = await listen((url, res, port) => {
    const u = new URL(url, `http://127.0.0.1:${port}`);
    if (u.pathname === "/loop") {
      res.writeHead(302, { location: "/loop" });
      res.end();
      return;
    }
    if (u.pathname === "/final") return page("final page")(url, res);
    res.writeHead(Number(u.pathname.slice(1)), { location: u.searchParams.get("to") ?? "/" });
    res.end();
  });
});

afterAll(async () => {
  for (const s of [reserved, benign, redirector]) await new Promise((r) => s.server.close(r));
});

function rule(): HopRule {
  return { level: "localhost", reservedPorts: () => [reserved.port], worker: "w1" };
}

function options(hopRule: HopRule | "unrestricted" = rule()) {
  return {
    rule: hopRule === "unrestricted" ? undefined : hopRule,
    headers: {},
    signal: AbortSignal.timeout(10_000),
  };
}

function via(status: number, to: string): string {
  return `http://127.0.0.1:${redirector.port}/${status}?to=${encodeURIComponent(to)}`;
}

async function refused(url: string): Promise<WebfetchError> {
  const error = await fetchChecked(url, options()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(OrchestraError.isInstance(error)).toBe(true);
  return error as WebfetchError;
}

const STATUSES = [301, 302, 303, 307, 308];

describe("a redirect never takes a worker past its network rule", () => {
  it.each(STATUSES)(
    "%i to a reserved port is refused and the reserved server gets nothing",
    async (status) => {
      const before = redirector.hits.length;
      const error = await refused(via(status, `http://127.0.0.1:${reserved.port}/session`));
      expect(error.code).toBe("PLUGIN_WEBFETCH_DENIED");
      expect(error.rule).toBe("network.reserved-port");
      expect(error.message).toContain("Denied by Open Orchestra [network.reserved-port] for worker w1");
      expect(error.message).toContain("Allowed instead:");
      expect(redirector.hits.length).toBe(before + 1);
      expect(reserved.hits).toEqual([]);
    },
  );

  it.each(STATUSES)(
    "%i to 0.0.0.0 and to a decimal IPv4 spelling is refused before any request",
    async (status) => {
      for (const to of [`http://0.0.0.0:${benign.port}/`, `http://2130706433:${benign.port}/`]) {
        const error = await refused(via(status, to));
        expect(error.rule).toBe("network.not-localhost");
      }
      expect(benign.hits).toEqual([]);
    },
  );

  it.each([
    ["scheme-relative hex", (p: number) => `//0x7f.1:${p}/`],
    ["IPv4-mapped IPv6", (p: number) => `http://[::ffff:127.0.0.1]:${p}/`],
    ["a trailing dot", (p: number) => `http://localhost.:${p}/`],
    ["userinfo", (p: number) => `http://x@127.0.0.1:${p}/`],
    ["a backslash (WHATWG reads it as a slash)", (p: number) => `/\\127.0.0.1:${p}/`],
  ])("a redirect to %s is refused", async (_name, to) => {
    const error = await refused(via(302, to(benign.port)));
    expect(error.code).toBe("PLUGIN_WEBFETCH_DENIED");
    expect(benign.hits).toEqual([]);
  });

  it.each(STATUSES)("%i to http://LOCALHOST:<benign>/ is followed", async (status) => {
    const got = await fetchChecked(via(status, `http://LOCALHOST:${benign.port}/page`), options());
    expect(new TextDecoder().decode(got.body)).toBe("benign page");
    expect(got.url).toBe(`http://localhost:${benign.port}/page`);
    expect(got.hops).toHaveLength(2);
    expect(benign.hits.pop()).toBe("/page");
  });

  it("a relative Location is resolved against the hop it came from", async () => {
    const got = await fetchChecked(via(302, "/final"), options());
    expect(new TextDecoder().decode(got.body)).toBe("final page");
    expect(got.url).toBe(`http://127.0.0.1:${redirector.port}/final`);
  });

  it("a redirect loop stops after the cap", async () => {
    const before = redirector.hits.length;
    const error = await refused(`http://127.0.0.1:${redirector.port}/loop`);
    expect(error.code).toBe("PLUGIN_WEBFETCH_TOO_MANY_REDIRECTS");
    expect(redirector.hits.length - before).toBe(MAX_REDIRECTS + 1);
  });

  it("the first URL is checked too: a reserved port is never requested", async () => {
    const error = await refused(`http://127.0.0.1:${reserved.port}/session`);
    expect(error.rule).toBe("network.reserved-port");
    expect(reserved.hits).toEqual([]);
  });

  it("under network: none nothing is requested", async () => {
    const before = redirector.hits.length;
    const error = await fetchChecked(via(302, "/final"), options({ ...rule(), level: "none" })).catch(
      (e: unknown) => e as WebfetchError,
    );
    expect((error as WebfetchError).rule).toBe("network.none");
    expect(redirector.hits.length).toBe(before);
  });
});

describe("unrestricted sessions fetch as before", () => {
  it("without a rule, redirects are followed (which is how the attack worked)", async () => {
    const got = await fetchChecked(
      via(302, `http://127.0.0.1:${reserved.port}/session`),
      options("unrestricted"),
    );
    expect(new TextDecoder().decode(got.body)).toBe("RESERVED-SESSION-LIST");
    expect(reserved.hits.splice(0)).toEqual(["/session"]);
  });

  it("a final non-2xx status is an error", async () => {
    const error = await fetchChecked(via(404, "/"), options()).catch((e: unknown) => e as WebfetchError);
    expect((error as WebfetchError).code).toBe("PLUGIN_WEBFETCH_STATUS");
    expect((error as WebfetchError).message).toBe("Request failed with status code: 404");
  });

  it("a 3xx without a Location is returned as a failed status, not followed", async () => {
    const silent = await listen((_url, res) => {
      res.writeHead(302);
      res.end();
    });
    const error = await fetchChecked(`http://127.0.0.1:${silent.port}/`, options()).catch(
      (e: unknown) => e as WebfetchError,
    );
    expect((error as WebfetchError).code).toBe("PLUGIN_WEBFETCH_STATUS");
    await new Promise((r) => silent.server.close(r));
  });
});
