// A stub worker process for fault-injection tests: a tiny HTTP server on 127.0.0.1:0 that
// prints `listening on http://127.0.0.1:<port>` once it accepts requests.
//
// Behaviour flags (argv `--flag[=value]`, or env STUB_<FLAG> with dashes as underscores):
//   --start-delay=MS     wait MS before listening (a slow start)
//   --hang               accept connections but never answer
//   --crash-after=MS     exit with code 1 MS after listening
//   --ignore-sigterm     ignore SIGTERM (only SIGKILL stops it)
//   --auth=USER:PASS     require HTTP basic auth; answer 401 otherwise
//   --status=CODE        answer every request with CODE (default 200)
//   --grandchild         spawn a long-lived child in the same process group
import { spawn } from "node:child_process";
import { createServer } from "node:http";

const flags = new Map();
for (const [key, value] of Object.entries(process.env)) {
  if (key.startsWith("STUB_")) flags.set(key.slice(5).toLowerCase().replaceAll("_", "-"), value);
}
for (const arg of process.argv.slice(2)) {
  const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
  if (m) flags.set(m[1], m[2] ?? "1");
}
const num = (name) => (flags.has(name) ? Number(flags.get(name)) : undefined);

if (flags.has("ignore-sigterm")) process.on("SIGTERM", () => {});
if (flags.has("grandchild")) {
  spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
}

const expectedAuth = flags.has("auth")
  ? `Basic ${Buffer.from(flags.get("auth")).toString("base64")}`
  : undefined;
const status = num("status") ?? 200;

const server = createServer((req, res) => {
  if (flags.has("hang")) return;
  if (expectedAuth !== undefined && req.headers.authorization !== expectedAuth) {
    res.writeHead(401, { "www-authenticate": 'Basic realm="stub"' }).end();
    return;
  }
  res
    .writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ ok: status < 300, path: req.url }));
});

setTimeout(() => {
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
    const crash = num("crash-after");
    if (crash !== undefined) setTimeout(() => process.exit(1), crash);
  });
}, num("start-delay") ?? 0);
