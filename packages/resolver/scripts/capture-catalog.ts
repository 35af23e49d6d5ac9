// Save a real catalog snapshot: start an isolated `opencode serve`, GET /provider, gzip it into fixtures/.
// Usage: pnpm --filter @orchestra/resolver capture-catalog [opencode-binary]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = fileURLToPath(new URL(".", import.meta.url));
const bin = process.argv[2] ?? join(here, "../../testkit/node_modules/opencode-ai/bin/opencode.exe");
const scratch = mkdtempSync(join(tmpdir(), "resolver-capture-"));
const env = {
  PATH: process.env.PATH ?? "",
  HOME: join(scratch, "home"),
  XDG_DATA_HOME: join(scratch, "data"),
  XDG_CONFIG_HOME: join(scratch, "config"),
  XDG_STATE_HOME: join(scratch, "state"),
  XDG_CACHE_HOME: join(scratch, "cache"),
  OPENCODE_DISABLE_MODELS_FETCH: "1",
  OPENCODE_CONFIG_CONTENT: JSON.stringify({ autoupdate: false, share: "disabled" }),
};
const child = spawn(bin, ["serve", "--port", "0", "--hostname", "127.0.0.1"], {
  cwd: scratch,
  env,
  detached: true, // own process group, killed as a group below
  stdio: ["ignore", "pipe", "pipe"],
});
const kill = () => {
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  }
};
try {
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("opencode did not report its URL within 60 s")), 60_000);
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /opencode server listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`opencode exited with ${code}`)));
  });
  const version = await new Promise<string>((resolve) => {
    const v = spawn(bin, ["--version"], { env, stdio: ["ignore", "pipe", "ignore"] });
    let s = "";
    v.stdout.on("data", (c: Buffer) => {
      s += c.toString();
    });
    v.on("exit", () => resolve(s.trim()));
  });
  const res = await fetch(new URL("/provider", url), { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`GET /provider answered ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  const gz = gzipSync(body, { level: 9 });
  const file = join(here, `../fixtures/opencode-${version}-provider.json.gz`);
  writeFileSync(file, gz);
  process.stdout.write(`saved ${file}: ${body.length} bytes of JSON, ${gz.length} gzipped\n`);
} finally {
  kill();
  rmSync(scratch, { recursive: true, force: true });
}
