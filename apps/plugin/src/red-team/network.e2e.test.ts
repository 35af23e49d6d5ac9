// Red team: the network rule against redirects. OpenCode's built-in `webfetch` lets its HTTP client
// follow redirects, and only the first URL reaches `tool.execute.before`; so a `network: localhost`
// worker reached the host's `/session` list through a local redirector although a direct fetch of
// that port was refused. The plugin's own `webfetch` (which replaces the built-in) takes redirects
// one hop at a time and checks each before sending anything to it. Also: host names are
// case-insensitive, so `http://LOCALHOST:<port>/` is localhost and is fetched.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portOf } from "../enforcement.js";
import { REFUSED, type RedTeam, startRedTeam } from "../test-support/red-team.js";

// The shell runs unsandboxed (execution: full) on the host's network, with only curl and wget.
const localhost = {
  categories: { filesystem: "read", execution: "full", network: "localhost" },
  tools: { bash: { enabled: true, constraints: { allowedCommands: ["curl", "wget"] } } },
};
const full = { categories: { filesystem: "read", execution: "none", network: "full" } };
const profiles = [
  { id: "net-proc", kind: "process", purpose: "Red team (process, localhost)", permissions: localhost },
  { id: "net-session", kind: "session", purpose: "Red team (session, localhost)", permissions: localhost },
  { id: "net-full", kind: "session", purpose: "Control: network full", permissions: full },
];
const WORKERS = ["net-proc", "net-session"] as const;

interface Local {
  server: Server;
  port: number;
  /** Every request path it got, in order. */
  hits: string[];
}

async function serve(handler: (path: string, res: ServerResponse) => void): Promise<Local> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req.url ?? "/", res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

let rt: RedTeam;
let hostPort: number;
let benign: Local;
let redirector: Local;
let sessionIds: string[];

beforeAll(async () => {
  rt = await startRedTeam({ name: "network", profiles });
  hostPort = portOf(rt.opencode.url) ?? 0;
  benign = await serve((_path, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html><body><h1>Benign page</h1><p>nothing secret</p></body></html>");
  });
  // GET /<status>/<url-encoded Location>: answers <status> with that Location.
  redirector = await serve((path, res) => {
    const [, status, to] = path.split("/");
    res.writeHead(Number(status), { location: decodeURIComponent(to ?? "") });
    res.end();
  });
  for (const id of [...WORKERS, "net-full"])
    expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
  sessionIds = ((await rt.opencode.client.session.list()).data ?? []).map((s) => s.id);
  expect(sessionIds).toContain(rt.sessionID);
});

afterAll(async () => {
  for (const s of [benign, redirector]) if (s) await new Promise((r) => s.server.close(r));
  await rt?.stop();
});

function via(status: number, to: string): string {
  return `http://127.0.0.1:${redirector.port}/${status}/${encodeURIComponent(to)}`;
}

/** No id of a host session appears in `out`. */
function expectNoSessionList(out: string): void {
  for (const id of sessionIds) expect(out).not.toContain(id);
  expect(out).not.toMatch(/ses_[0-9a-zA-Z]{10,}/);
}

describe("control: what an unchecked redirect reaches", () => {
  it("a network: full worker follows the redirector to the host's /session list", async () => {
    const out = await rt.workerCalls("net-full", "webfetch", {
      url: via(302, `http://127.0.0.1:${hostPort}/session`),
      format: "text",
    });
    expect(out).toContain(rt.sessionID);
  });
});

describe.each(WORKERS)("%s (network: localhost): redirects", (id) => {
  it("a direct fetch of the host server's port is refused", async () => {
    const out = await rt.workerCalls(id, "webfetch", {
      url: `http://127.0.0.1:${hostPort}/session`,
      format: "text",
    });
    expect(out).toContain("[network.reserved-port]");
    expectNoSessionList(out);
  });

  it.each([301, 302, 303, 307, 308])(
    "a local redirector's %i to the host's /session is not followed",
    async (status) => {
      const before = redirector.hits.length;
      const out = await rt.workerCalls(id, "webfetch", {
        url: via(status, `http://127.0.0.1:${hostPort}/session`),
        format: "text",
      });
      expect(out).toMatch(REFUSED);
      expect(out).toContain("[network.reserved-port]");
      expect(out).toContain("which was not requested");
      expectNoSessionList(out);
      // The redirector was asked (the first URL is allowed); the redirect went nowhere.
      expect(redirector.hits.length).toBe(before + 1);
    },
  );

  it.each([
    ["0.0.0.0", () => `http://0.0.0.0:${benign.port}/`],
    ["a decimal IPv4", () => `http://2130706433:${benign.port}/`],
    ["a scheme-relative hex IPv4", () => `//0x7f.1:${benign.port}/`],
    ["IPv4-mapped IPv6", () => `http://[::ffff:127.0.0.1]:${benign.port}/`],
    ["LOCALHOST on the host's port", () => `http://LOCALHOST:${hostPort}/session`],
  ])("a redirect to %s is refused and the target gets no request", async (_name, to) => {
    const before = benign.hits.length;
    const out = await rt.workerCalls(id, "webfetch", { url: via(302, to()), format: "text" });
    expect(out).toMatch(REFUSED);
    expectNoSessionList(out);
    expect(benign.hits.length).toBe(before);
  });

  it("a redirect to http://LOCALHOST:<benign port>/ is followed", async () => {
    const before = benign.hits.length;
    const out = await rt.workerCalls(id, "webfetch", {
      url: via(302, `http://LOCALHOST:${benign.port}/after-redirect`),
      format: "markdown",
    });
    expect(out).toContain("# Benign page");
    expect(benign.hits.slice(before)).toEqual(["/after-redirect"]);
  });
});

describe.each(WORKERS)("%s (network: localhost): shell fetchers that follow redirects", (id) => {
  it.each([
    ["curl -sL", (url: string) => `curl -sL ${url}`],
    ["curl --location", (url: string) => `curl -s --location ${url}`],
    ["wget (follows by default)", (url: string) => `wget -q -O - ${url}`],
  ])("%s through the redirector is denied and never runs", async (_name, command) => {
    const before = redirector.hits.length;
    const out = await rt.workerCalls(id, "bash", {
      command: command(via(302, `http://127.0.0.1:${hostPort}/session`)),
      description: "fetch",
    });
    expect(out).toMatch(REFUSED);
    expect(out).toContain("follows redirects");
    expectNoSessionList(out);
    expect(redirector.hits.length).toBe(before);
  });

  it("curl without -L of http://LOCALHOST:<benign port>/ runs", async () => {
    const before = benign.hits.length;
    const out = await rt.workerCalls(id, "bash", {
      command: `curl -s http://LOCALHOST:${benign.port}/curl`,
      description: "fetch",
    });
    expect(out).toContain("Benign page");
    expect(benign.hits.slice(before)).toEqual(["/curl"]);
  });
});

describe.each(WORKERS)("%s (network: localhost): host names are case-insensitive", (id) => {
  it("http://LOCALHOST:<benign port>/ is fetched and converted like the built-in does", async () => {
    const before = benign.hits.length;
    const out = await rt.workerCalls(id, "webfetch", {
      url: `http://LOCALHOST:${benign.port}/upper`,
      format: "markdown",
    });
    expect(out).not.toMatch(REFUSED);
    expect(out).toContain("# Benign page");
    expect(out).toContain("nothing secret");
    expect(benign.hits.slice(before)).toEqual(["/upper"]);
  });

  it.each(["http://LOCALHOST.:%p/", "http://0X7F.1:%p/", "http://[::FFFF:127.0.0.1]:%p/"])(
    "%s is still refused",
    async (pattern) => {
      const before = benign.hits.length;
      const out = await rt.workerCalls(id, "webfetch", {
        url: pattern.replace("%p", String(benign.port)),
        format: "text",
      });
      expect(out).toMatch(REFUSED);
      expect(benign.hits.length).toBe(before);
    },
  );
});
