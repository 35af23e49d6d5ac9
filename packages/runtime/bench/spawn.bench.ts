// Worker spawn and ask costs, all in one run against the same scripted model:
// - the baseline: a bare `opencode serve` cold start, spawn → first 200 on GET /session and
//   spawn → first answer;
// - a process worker without a plugin, and with the Open Orchestra plugin (the enforcement
//   handshake), each spawn → ready and spawn → first answer;
// - a bare `opencode serve` loading that plugin in worker mode (what OpenCode charges for loading
//   it, without the handshake);
// - what a profile-agnostic standby would still cost at acquire (on an already started server);
// - session worker spawn on a host server, and the ask round trip against a direct SDK prompt.
// The cold starts are interleaved round by round, so drift on a shared machine hits all alike.
// Prints median/p99 tables and the ratios to the bare start; writes bench-results/spawn.json.
//   pnpm --filter @orchestra/runtime bench   (BENCH_RUNS=7 by default)
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createOpencodeClient } from "@opencode-ai/sdk/v2";
import {
  type BenchStats,
  formatTable,
  resolveOpencode,
  startOpencode,
  startScriptedModel,
  summarize,
} from "@orchestra/testkit";
import { startSessionWorker } from "../src/workers/spawn.js";
import { type BenchSetup, bareStart, type StartTimes, standbyEstimate, workerStart } from "./spawn-starts.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const out = join(import.meta.dirname, "..", "bench-results", "spawn.json");
const pluginFile = join(import.meta.dirname, "..", "..", "..", "apps", "plugin", "dist", "index.js");
if (!existsSync(pluginFile)) {
  throw new Error(
    `The spawn bench starts workers with the Open Orchestra plugin, but ${pluginFile} does not exist. Build it first: npx --yes pnpm@10.34.9 --filter @orchestra/plugin... build`,
  );
}

const model = await startScriptedModel({ script: () => "ok" });
const host = await startOpencode({
  model,
  config: { enabled_providers: ["scripted"] },
  startupTimeoutMs: 120_000,
});
const setup: BenchSetup = {
  binary: resolveOpencode({ resolveFrom: import.meta.dirname }).binary,
  directory: host.directory,
  env: {
    HOME: host.home,
    XDG_CONFIG_HOME: join(host.scratch, "config"),
    XDG_DATA_HOME: join(host.scratch, "data"),
    XDG_STATE_HOME: join(host.scratch, "state"),
    XDG_CACHE_HOME: join(host.scratch, "cache"),
  },
  baseConfig: {
    provider: model.providerConfig(),
    enabled_providers: ["scripted"],
    autoupdate: false,
    share: "disabled",
    // As every worker has it: no git snapshot of the project per step.
    snapshot: false,
    model: "scripted/fake-fast",
    small_model: "scripted/fake-fast",
  },
  model: { providerID: "scripted", modelID: "fake-fast" },
};
const profile = { profile: "coder", systemPrompt: "You are a bench worker. Answer briefly." };

// Cold starts, interleaved.
const samples = new Map<string, StartTimes[]>();
const record = (name: string, times: StartTimes) => samples.set(name, [...(samples.get(name) ?? []), times]);
const kinds: [string, () => Promise<StartTimes>][] = [
  ["bare opencode serve", () => bareStart(setup)],
  ["process worker, no plugin", () => workerStart(setup, profile, [])],
  [
    "bare opencode serve + plugin (worker mode)",
    () => bareStart(setup, { file: pluginFile, profile: profile.profile }),
  ],
  [
    "process worker + plugin (handshake)",
    () =>
      workerStart(setup, profile, [pluginFile], async (worker) => {
        record("standby acquire estimate", await standbyEstimate(worker, setup.model));
      }),
  ],
];
for (let round = 0; round < RUNS; round++) {
  // Each round starts with another kind, so no kind always follows the same one.
  const first = round % kinds.length;
  for (const [name, start] of [...kinds.slice(first), ...kinds.slice(0, first)]) record(name, await start());
  process.stdout.write(`round ${round + 1}/${RUNS} done\n`);
}
const readyLabel = (name: string) =>
  name.startsWith("bare") ? `${name}: spawn → first 200` : `${name}: → ready`;
const cold: BenchStats[] = [];
// "listening → ready" leaves out OpenCode's own boot (the noisiest part): what the start adds.
const afterListening: BenchStats[] = [];
for (const [name, times] of samples) {
  cold.push(
    summarize(
      readyLabel(name),
      times.map((t) => t.readyMs),
    ),
  );
  cold.push(
    summarize(
      `${name}: → first answer`,
      times.map((t) => t.answerMs),
    ),
  );
  const listened = name.startsWith("bare") ? "listening → first 200" : "listening → ready";
  afterListening.push(
    summarize(
      `${name}: ${listened}`,
      times.map((t) => t.readyMs - t.listeningMs),
    ),
  );
}

// Session workers and the ask round trip on the host.
const hostClient = createOpencodeClient({ baseUrl: host.url, directory: host.directory });
const sessionSpawns: number[] = [];
for (let i = 0; i < RUNS * 3 + 1; i++) {
  const started = performance.now();
  const worker = await startSessionWorker(
    { id: "bench-s", kind: "session", model: setup.model, directory: host.directory, ...profile },
    { client: hostClient, url: host.url },
  );
  if (i > 0) sessionSpawns.push(performance.now() - started);
  await worker.stop();
}
const worker = await startSessionWorker(
  { id: "ask", profile: "bench", kind: "session", model: setup.model, directory: host.directory },
  { client: hostClient, url: host.url },
);
const directID = (await hostClient.session.create({ title: "direct" })).data?.id ?? "";
const direct = () =>
  hostClient.session.prompt({
    sessionID: directID,
    model: setup.model,
    parts: [{ type: "text", text: "ping" }],
  });
await direct();
const askSamples: number[] = [];
const directSamples: number[] = [];
for (let i = 0; i < RUNS * 3; i++) {
  let t = performance.now();
  await worker.ask("ping");
  askSamples.push(performance.now() - t);
  t = performance.now();
  await direct();
  directSamples.push(performance.now() - t);
}
await worker.stop();
await host.stop();
await model.close();
const ask = summarize("ask round trip: Worker.ask", askSamples);
const sdk = summarize("ask round trip: direct SDK prompt", directSamples);
const warm = [summarize("session worker: spawn → ready", sessionSpawns), ask, sdk];

// Ratios to a bare start of the same run (ready against first 200, answer against answer).
const BARE = "bare opencode serve";
const BARE_PLUGIN = "bare opencode serve + plugin (worker mode)";
const stats = (name: string) => {
  const times = samples.get(name) ?? [];
  return {
    ready: summarize(
      name,
      times.map((t) => t.readyMs),
    ),
    answer: summarize(
      name,
      times.map((t) => t.answerMs),
    ),
  };
};
const ratio = (name: string, baseline: string) => {
  const a = stats(name);
  const b = stats(baseline);
  return {
    name,
    baseline,
    readyMedian: a.ready.medianMs / b.ready.medianMs,
    readyP99: a.ready.p99Ms / b.ready.p99Ms,
    answerMedian: a.answer.medianMs / b.answer.medianMs,
    answerP99: a.answer.p99Ms / b.answer.p99Ms,
  };
};
const ratios = [
  ...[...samples.keys()].filter((name) => name !== BARE).map((name) => ratio(name, BARE)),
  ratio("process worker + plugin (handshake)", BARE_PLUGIN),
];
const x = (n: number) => `${n.toFixed(2)}×`.padStart(10);
const ratioTable = [
  `${"ratio".padEnd(84)}  ready p50  ready p99  answer p50  answer p99`,
  ...ratios.map(
    (r) =>
      `${`${r.name} / ${r.baseline}`.padEnd(84)}  ${x(r.readyMedian)} ${x(r.readyP99)}  ${x(r.answerMedian)}  ${x(r.answerP99)}`,
  ),
].join("\n");

process.stdout.write(
  `\nworker spawn (runtime), ${RUNS} interleaved rounds\n${formatTable(cold)}\n\n${ratioTable}\n\n` +
    `after OpenCode's \`listening on\` line\n${formatTable(afterListening)}\n\n` +
    `session workers and asks\n${formatTable(warm)}\n` +
    `ask overhead over a direct prompt: ${(((ask.medianMs - sdk.medianMs) / sdk.medianMs) * 100).toFixed(1)}% (median)\n`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      suite: "worker spawn and ask (runtime)",
      date: new Date().toISOString(),
      node: process.version,
      platform: process.platform,
      rounds: RUNS,
      results: [...cold, ...afterListening, ...warm],
      ratios,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`wrote ${out}\n`);
