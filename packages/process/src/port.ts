import { createServer } from "node:net";

/**
 * A free port on 127.0.0.1, chosen by the kernel. OpenCode's own `--port 0` prefers 4096 when it is
 * free, so a new worker could reuse the port of one that just died, and a client's pooled
 * keep-alive connection to the dead server would then fail the first request (ECONNRESET).
 *
 * The port is released before it is returned: another process can take it before the server binds
 * it. {@link spawnServerProcess} then fails with `PROCESS_PORT_IN_USE`; retry on a new port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when binding `port` on `host` fails with EADDRINUSE right now. */
export function isPortInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}
