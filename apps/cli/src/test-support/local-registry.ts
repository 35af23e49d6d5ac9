// A tiny npm registry on 127.0.0.1 that serves a fixed set of tarballs, for the new-user test.
//
// Why it exists: npm cannot install a set of local tarballs that satisfy each other offline when
// two versions of one package are needed (zod 4.6.7 for our packages and 4.1.8 for
// @opencode-ai/plugin; signal-exit, detect-libc): a tarball given on the command line becomes a
// top-level dependency, one per name, and `--offline` resolves any other version only from a
// registry's packument in the cache. So the test's npm talks to this server and nothing else. It
// proves "no public registry and no network", not "no registry protocol". Our own packages are
// installed from their tarball files, as the offline install route documents; this server only
// knows the third-party ones, so a missing @orchestra tarball fails the install.
import { createReadStream } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename } from "node:path";
import { digests, type Tarball } from "./release-tarballs.js";

/** A running local registry. */
export interface LocalRegistry {
  /** Its URL, for `npm_config_registry`. */
  url: string;
  /** Every path npm asked for, in order (packuments and tarballs). */
  requests: string[];
  close(): Promise<void>;
}

/** Serve `tarballs` as a registry: `GET /<name>` is the packument, `GET /-/<file>` the tarball. */
export async function startLocalRegistry(tarballs: readonly Tarball[]): Promise<LocalRegistry> {
  const files = new Map<string, string>();
  const versions = new Map<string, Record<string, unknown>>();
  const requests: string[] = [];
  let url = "";
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    requests.push(path);
    const file = path.startsWith("/-/") ? files.get(path.slice(3)) : undefined;
    if (file) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      createReadStream(file).pipe(res);
      return;
    }
    const name = path.slice(1);
    const known = versions.get(name);
    if (!known) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "not found" }));
      return;
    }
    const latest = Object.keys(known).sort().at(-1) ?? "";
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ name, "dist-tags": { latest }, versions: known }));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  for (const { file, manifest } of tarballs) {
    files.set(basename(file), file);
    const entry = versions.get(manifest.name) ?? {};
    entry[manifest.version] = {
      ...manifest,
      dist: { ...digests(file), tarball: `${url}-/${basename(file)}` },
    };
    versions.set(manifest.name, entry);
  }
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
