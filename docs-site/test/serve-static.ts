import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** A static server for a built site: listens on 127.0.0.1, resolves `/x` and `/x/` like a static host. */
export interface StaticSite {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

function resolveFile(root: string, urlPath: string): string | undefined {
  const path = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, "");
  if (path.startsWith("..")) return undefined;
  const base = join(root, path);
  for (const candidate of [base, `${base}.html`, join(base, "index.html")]) {
    if (candidate.startsWith(root + sep) && existsSync(candidate) && statSync(candidate).isFile())
      return candidate;
  }
  return undefined;
}

/** Serve the folder `root` (a VitePress `dist`) until `close()`. */
export async function serveStatic(root: string): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = resolveFile(root, url.pathname);
    const status = file ? 200 : 404;
    const body = file ?? join(root, "404.html");
    res.writeHead(status, { "content-type": TYPES[extname(body)] ?? "application/octet-stream" });
    createReadStream(body).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
