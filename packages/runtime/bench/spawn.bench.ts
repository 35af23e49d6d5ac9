// Worker spawn and ask costs, all in one run against the same scripted model:
// - bare `opencode serve` cold start (spawn → first 200 on GET /session), the baseline;
// - process worker spawn (spawn → listening → session → profile prompt delivered);
// - session worker spawn on a host server;
// - ask round trip through Worker.ask against a direct SDK prompt on the same server.
// Prints median/p99 and writes bench-results/spawn.json.
import { join } from "node:path";
import { createOpencodeClient } from "@opencode-ai/sdk/v2";
import { spawnServerProcess, terminateGroup } from "@orchestra/process";
import {
  measure,
  report,
  resolveOpencode,
  startOpencode,
  startScriptedModel,
  summarize,
} from "@orchestra/testkit";
import { startProcessWorker, startSessionWorker } from "../src/workers/spawn.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const model = await startScriptedModel({ script: () => "ok" });
const host = await startOpencode({
  model,
  config: { enabled_providers: ["scripted"] },
  startupTimeoutMs: 120_000,
});
const env = {
  ...process.env,
  HOME: host.home,
  XDG_CONFIG_HOME: join(host.scratch, "config"),
  XDG_DATA_HOME: join(host.scratch, "data"),
  XDG_STATE_HOME: join(host.scratch, "state"),
  XDG_CACHE_HOME: join(host.scratch, "cache"),
  OPENCODE_DISABLE_MODELS_FETCH: "1",
};
const baseConfig = {
  provider: model.providerConfig(),
  enabled_providers: ["scripted"],
  autoupdate: false,
  share: "disabled",
};
const binary = resolveOpencode({ resolveFrom: import.meta.dirname }).binary;
const fast = { providerID: "scripted", modelID: "fake-fast" };
const results = [];

results.push(
  await measure(
    "bare opencode serve: spawn → first 200",
    async () => {
      const started = performance.now();
      const server = await spawnServerProcess({
        binary,
        cwd: host.directory,
        env: { ...env, OPENCODE_CONFIG_CONTENT: JSON.stringify(baseConfig) },
        timeoutMs: 60_000,
      });
      for (;;) {
        const res = await fetch(`${server.url}/session`, { signal: AbortSignal.timeout(3_000) }).catch(
          () => undefined,
        );
        if (res?.status === 200) break;
      }
      const ms = performance.now() - started;
      await terminateGroup(server.pid, 3_000);
      return ms;
    },
    { runs: RUNS },
  ),
);

results.push(
  await measure(
    "process worker: spawn → ready (prompt delivered)",
    async () => {
      const started = performance.now();
      const { worker } = await startProcessWorker(
        {
          id: "bench",
          profile: "bench",
          kind: "process",
          model: fast,
          systemPrompt: "You are a bench worker.",
          directory: host.directory,
        },
        { binary, baseConfig, env, startupTimeoutMs: 60_000 },
      );
      const ms = performance.now() - started;
      await worker.stop(3_000);
      return ms;
    },
    { runs: RUNS },
  ),
);

const hostClient = createOpencodeClient({ baseUrl: host.url, directory: host.directory });
results.push(
  await measure(
    "session worker: spawn → ready",
    async () => {
      const started = performance.now();
      const worker = await startSessionWorker(
        {
          id: "bench-s",
          profile: "bench",
          kind: "session",
          model: fast,
          systemPrompt: "You are a bench worker.",
          directory: host.directory,
        },
        { client: hostClient, url: host.url },
      );
      const ms = performance.now() - started;
      await worker.stop();
      return ms;
    },
    { runs: RUNS * 3, warmup: 1 },
  ),
);

const worker = await startSessionWorker(
  { id: "ask", profile: "bench", kind: "session", model: fast, directory: host.directory },
  { client: hostClient, url: host.url },
);
const direct = await hostClient.session.create({ title: "direct" });
const directID = direct.data?.id ?? "";
await hostClient.session.prompt({
  sessionID: directID,
  model: fast,
  parts: [{ type: "text", text: "warm up" }],
});
// Interleave the two so that drift on a shared machine hits both alike.
const askSamples: number[] = [];
const directSamples: number[] = [];
for (let i = 0; i < RUNS * 3; i++) {
  let t = performance.now();
  await worker.ask("ping");
  askSamples.push(performance.now() - t);
  t = performance.now();
  await hostClient.session.prompt({
    sessionID: directID,
    model: fast,
    parts: [{ type: "text", text: "ping" }],
  });
  directSamples.push(performance.now() - t);
}
const ask = summarize("ask round trip: Worker.ask", askSamples);
const sdk = summarize("ask round trip: direct SDK prompt", directSamples);
results.push(ask, sdk);

await worker.stop();
await host.stop();
await model.close();
report(
  "worker spawn and ask (runtime)",
  results,
  join(import.meta.dirname, "..", "bench-results", "spawn.json"),
);
process.stdout.write(
  `ask overhead over a direct prompt: ${(((ask.medianMs - sdk.medianMs) / sdk.medianMs) * 100).toFixed(1)}% (median)\n`,
);
