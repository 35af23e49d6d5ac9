#!/usr/bin/env node
// A stand-in for `opencode serve` in fault-injection tests: it speaks just enough of OpenCode's
// HTTP API for the runtime (sessions, prompts, abort, instance dispose, /global/health), with
// the same readiness line, basic auth from OPENCODE_SERVER_PASSWORD, and injectable faults.
//
// Faults (environment variables):
//   FAKE_OPENCODE_FAIL_START=1       exit with code 1 before listening (a spawn that keeps failing)
//   FAKE_OPENCODE_START_DELAY=MS     wait MS before listening (a slow start)
//   FAKE_OPENCODE_IGNORE_SIGTERM=1   ignore SIGTERM (only SIGKILL stops it)
//   FAKE_OPENCODE_ANSWER_DELAY=MS    answer prompts after MS (a long-running ask)
//   FAKE_OPENCODE_TOOL_CHILD=1       start a long-lived child in its OWN process group, like a
//                                    bash-tool command; POST /instance/dispose kills it
//   FAKE_OPENCODE_CRASH_AFTER=MS     exit with code 1 MS after listening (a crash loop)
//   FAKE_OPENCODE_PIDFILE=PATH       append "<pid> <toolChildPid?>" lines to PATH (for orphan checks)
//   FAKE_OPENCODE_STEAL_PORT=PATH    when PATH does not exist yet: another process (a "thief", alive
//                                    for 10 s) binds the --port first, this server's listen fails
//                                    with EADDRINUSE and it exits 1 like OpenCode 1.18 ("ServeError");
//                                    PATH then holds "<port> <thief pid>". Later starts run normally.
//
// Like `opencode serve`, it listens on `--port N` (0 or absent: a port chosen by the kernel).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";

const env = process.env;
if (env.FAKE_OPENCODE_FAIL_START === "1") {
  process.stderr.write("fake opencode: failing to start on purpose\n");
  process.exit(1);
}
if (env.FAKE_OPENCODE_IGNORE_SIGTERM === "1") process.on("SIGTERM", () => {});

let toolChild;
if (env.FAKE_OPENCODE_TOOL_CHILD === "1") {
  toolChild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], {
    detached: true,
    stdio: "ignore",
  });
  toolChild.unref();
}
if (env.FAKE_OPENCODE_PIDFILE) {
  appendFileSync(env.FAKE_OPENCODE_PIDFILE, `${process.pid} ${toolChild?.pid ?? ""}\n`);
}

const password = env.OPENCODE_SERVER_PASSWORD;
const expected = password
  ? `Basic ${Buffer.from(`${env.OPENCODE_SERVER_USERNAME ?? "opencode"}:${password}`).toString("base64")}`
  : undefined;
const answerDelay = Number(env.FAKE_OPENCODE_ANSWER_DELAY ?? 0);
const sessions = new Map();

function json(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function body(req) {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

const server = createServer(async (req, res) => {
  if (expected !== undefined && req.headers.authorization !== expected) {
    res.writeHead(401, { "www-authenticate": 'Basic realm="opencode"' }).end();
    return;
  }
  const url = new URL(req.url ?? "/", "http://x");
  const parts = url.pathname.split("/").filter(Boolean);
  try {
    if (url.pathname === "/global/health") return json(res, 200, { healthy: true, version: "fake" });
    if (url.pathname === "/instance/dispose" && req.method === "POST") {
      if (toolChild?.pid) {
        try {
          process.kill(-toolChild.pid, "SIGKILL");
        } catch {}
      }
      return json(res, 200, true);
    }
    if (parts[0] === "session" && parts.length === 1 && req.method === "POST") {
      const input = await body(req);
      const id = `ses_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
      const session = { id, title: input.title ?? "", time: { created: Date.now(), updated: Date.now() } };
      sessions.set(id, { session, controllers: new Set() });
      return json(res, 200, session);
    }
    const entry = parts[0] === "session" ? sessions.get(parts[1]) : undefined;
    if (parts[0] === "session" && parts.length === 2 && req.method === "GET") {
      return entry ? json(res, 200, entry.session) : json(res, 404, { name: "NotFoundError" });
    }
    if (entry && parts[2] === "abort") {
      for (const c of entry.controllers) c.abort();
      return json(res, 200, true);
    }
    if (entry && parts[2] === "message" && req.method === "POST") {
      const input = await body(req);
      const text = (input.parts ?? []).map((p) => p.text ?? "").join(" ");
      const info = { id: `msg_${randomUUID().slice(0, 8)}`, role: "assistant", sessionID: parts[1] };
      if (input.noReply) return json(res, 200, { info, parts: [] });
      const controller = new AbortController();
      entry.controllers.add(controller);
      res.on("close", () => controller.abort());
      await new Promise((resolve) => {
        const t = setTimeout(resolve, answerDelay);
        controller.signal.addEventListener("abort", () => {
          clearTimeout(t);
          resolve();
        });
      });
      entry.controllers.delete(controller);
      if (controller.signal.aborted)
        return json(res, 200, {
          info: { ...info, error: { name: "MessageAbortedError", data: { message: "aborted" } } },
          parts: [],
        });
      return json(res, 200, { info, parts: [{ type: "text", text: `fake answer to: ${text}` }] });
    }
    json(res, 404, { name: "NotFoundError", path: url.pathname });
  } catch (error) {
    json(res, 500, { name: "UnknownError", message: String(error) });
  }
});

const portArg = process.argv.indexOf("--port");
const wantedPort = portArg > 0 ? Number(process.argv[portArg + 1] ?? 0) : 0;

/** Start a "thief" that binds `port` for 10 s; resolves with its pid once it holds the port. */
function stealPort(port) {
  const code = `require("node:net").createServer().listen(${port}, "127.0.0.1", () => process.stdout.write("held\\n")); setTimeout(() => process.exit(0), 10000);`;
  const thief = spawn(process.execPath, ["-e", code], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve) => {
    thief.stdout.once("data", () => {
      thief.stdout.destroy();
      thief.unref();
      resolve(thief.pid);
    });
  });
}

server.once("error", (error) => {
  // What OpenCode 1.18.33 prints when Bun.serve cannot bind its port.
  process.stderr.write(`Error: Unexpected error\n\nServeError (${error.code})\n`);
  process.exit(1);
});

setTimeout(
  async () => {
    const marker = env.FAKE_OPENCODE_STEAL_PORT;
    if (marker && wantedPort > 0 && !existsSync(marker)) {
      const thief = await stealPort(wantedPort);
      writeFileSync(marker, `${wantedPort} ${thief}\n`);
    }
    server.listen(wantedPort, "127.0.0.1", () => {
      const { port } = server.address();
      process.stdout.write(`opencode server listening on http://127.0.0.1:${port}\n`);
      if (env.FAKE_OPENCODE_CRASH_AFTER !== undefined)
        setTimeout(() => process.exit(1), Number(env.FAKE_OPENCODE_CRASH_AFTER));
    });
  },
  Number(env.FAKE_OPENCODE_START_DELAY ?? 0),
);
