// What live progress costs per streamed chunk. Two measurements in one run:
//
// 1. End to end against a real OpenCode and the scripted model: one session worker answers the
//    same reply of CHUNKS chunks (no delay between chunks, so the stream's cost is not hidden
//    behind the model's pace), asked through the same `orchestra.ask` three ways, in rotating order
//    each round: plain (no stream); with `onStream` only (the job stream, a no-op listener); and
//    with live progress as ask_worker runs it (the stream folded into the progress state, throttled
//    PATCHes of a real running tool part of the host: a webfetch the bench holds open). The ask's
//    own `durationMs` is compared round by round; per chunk = median difference / chunks.
// 2. In process: the plugin's handler of one stream message (fold into the progress state, mark the
//    throttle), over many synthetic text chunks: its CPU cost per chunk, without the network.
//
//   npx tsx apps/plugin/bench/live-progress.bench.ts   (BENCH_RUNS=15, BENCH_CHUNKS=2000)
// Prints median/p99 tables; writes bench-results/live-progress.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { orchestratorConfigSchema } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import { createOrchestra, type StreamMessage } from "@orchestra/runtime";
import { formatTable, rules, startOpencode, startScriptedModel, summarize } from "@orchestra/testkit";
import { liveProgress, ProgressState, Throttle } from "../src/tools/live-progress.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 2000);
const CHUNK_SIZE = 8;
const out = join(import.meta.dirname, "..", "bench-results", "live-progress.json");

// A reply of CHUNKS chunks of CHUNK_SIZE characters, in lines of 10 chunks.
const line = (i: number) => `line ${String(i).padStart(4, "0")}: ${"x".repeat(CHUNK_SIZE * 10 - 12)}\n`;
const ANSWER = Array.from({ length: CHUNKS / 10 }, (_, i) => line(i)).join("");

// --- 2. In process: the handler's cost per chunk -------------------------------------------------
function handlerCost(messages: number): number {
  const state = new ProgressState("docs");
  const throttle = new Throttle({ intervalMs: 500, latest: () => state.snapshot(), write: async () => {} });
  const batch: StreamMessage[] = Array.from({ length: messages }, (_, seq) => ({
    jobId: "job",
    workerId: "docs",
    seq,
    ts: 0,
    kind: "text",
    payload: { partId: "p", delta: seq % 10 === 9 ? "xxxxxxx\n" : "xxxxxxxx" },
  }));
  const t0 = performance.now();
  for (const m of batch) if (state.onStream(m)) throttle.changed();
  const ms = performance.now() - t0;
  void throttle.close();
  return (ms * 1e6) / messages; // ns per chunk
}
const handlerNs = Array.from({ length: RUNS }, () => handlerCost(100_000));

// --- 1. End to end --------------------------------------------------------------------------------
// The page the host's webfetch waits for while the bench writes progress onto its running part.
let releasePage = () => {};
const page = createServer((_req, res) => {
  releasePage = () => res.end("released");
});
await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/held`;

const root = mkdtempSync(join(tmpdir(), "orchestra-live-progress-bench-"));
const model = await startScriptedModel({
  // A context no round fills: OpenCode would compact the session (a synthetic "Continue…" turn).
  models: [{ id: "fake-fast", context: 100_000_000, output: 1_000_000 }],
  script: rules([
    {
      userText: "hold a tool part",
      reply: { type: "tool-calls", calls: [{ name: "webfetch", args: { url: pageUrl, format: "text" } }] },
    },
    { toolResult: "webfetch", reply: "released" },
    { userText: /^stream r\d+ /, reply: { type: "text", text: ANSWER, chunkSize: CHUNK_SIZE } },
  ]),
});
const opencode = await startOpencode({
  model,
  resolveFrom: import.meta.dirname,
  config: { permission: { webfetch: "allow" } },
});
const config = orchestratorConfigSchema.parse({});
const orchestra = await createOrchestra({
  config,
  directory: opencode.directory,
  profiles: await loadProfileRegistry({
    projectDir: opencode.directory,
    config: { profiles: config.profiles },
  }),
  owner: "cli",
  host: { client: opencode.client, url: opencode.url },
  registryFile: join(root, "registry.json"),
  manifestFile: join(root, "recovery.json"),
  secretFile: join(root, "worker-secret"),
  logger: { warn: () => undefined },
});

const variants = ["plain", "onStream only", "live progress"] as const;
type Variant = (typeof variants)[number];
const durations = new Map<Variant, number[]>(variants.map((v) => [v, []]));
const diffs = new Map<Variant, number[]>(variants.map((v) => [v, []]));
/** This process's CPU time (user + system, ms) per ask, and its difference to plain per round. */
const cpu = new Map<Variant, number[]>(variants.map((v) => [v, []]));
const cpuDiffs = new Map<Variant, number[]>(variants.map((v) => [v, []]));
let partUpdates = 0;
try {
  // A running tool part on the host to write progress onto.
  const host = (await opencode.client.session.create({ title: "bench host" })).data?.id ?? "";
  void opencode.client.session.prompt({
    sessionID: host,
    model: { providerID: model.providerId, modelID: "fake-fast" },
    parts: [{ type: "text", text: "hold a tool part" }],
  });
  let held: { messageID: string; callID: string } | undefined;
  while (held === undefined) {
    const messages = (await opencode.client.session.messages({ sessionID: host })).data ?? [];
    for (const m of messages)
      for (const p of m.parts)
        if (p.type === "tool" && p.tool === "webfetch" && p.state.status === "running")
          held = { messageID: p.messageID, callID: p.callID };
    if (held === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  const ctx = { sessionID: host, ...held, metadata: () => undefined };
  const counting = {
    session: opencode.client.session,
    part: {
      update: (parameters: Parameters<typeof opencode.client.part.update>[0]) => {
        partUpdates++;
        return opencode.client.part.update(parameters);
      },
    },
  };

  const worker = await orchestra.spawn("coder", { kind: "session", model: `${model.providerId}/fake-fast` });
  const ask = async (variant: Variant, message: string): Promise<{ ms: number; cpuMs: number }> => {
    const cpu0 = process.cpuUsage();
    const answer =
      variant === "plain"
        ? await orchestra.ask(worker.id, message)
        : variant === "onStream only"
          ? await orchestra.ask(worker.id, message, { onStream: () => undefined })
          : await liveProgress(counting, ctx, { tool: "webfetch", workerId: worker.id }, (live) =>
              orchestra.ask(worker.id, message, { onProgress: live.onProgress, onStream: live.onStream }),
            );
    const used = process.cpuUsage(cpu0);
    if (answer.text.trim() !== ANSWER.trim())
      throw new Error(`unexpected answer: ${answer.text.slice(0, 200)}`);
    return { ms: answer.durationMs, cpuMs: (used.user + used.system) / 1000 };
  };
  for (let round = -1; round < RUNS; round++) {
    // Rotate the order: the worker's session grows by one answer per ask.
    const order = variants.map((_, i) => variants[(i + round + 3) % 3] as Variant);
    const took = new Map<Variant, { ms: number; cpuMs: number }>();
    for (const v of order) took.set(v, await ask(v, `stream r${round + 1} ${v}`));
    if (round < 0) continue; // warm-up
    const plain = took.get("plain") ?? { ms: Number.NaN, cpuMs: Number.NaN };
    for (const v of variants) {
      const t = took.get(v) ?? { ms: Number.NaN, cpuMs: Number.NaN };
      durations.get(v)?.push(t.ms);
      diffs.get(v)?.push(t.ms - plain.ms);
      cpu.get(v)?.push(t.cpuMs);
      cpuDiffs.get(v)?.push(t.cpuMs - plain.cpuMs);
    }
  }
} finally {
  releasePage();
  await orchestra.shutdown();
  await opencode.stop();
  await model.close();
  page.close();
  rmSync(root, { recursive: true, force: true });
}

const asks = variants.map((v) =>
  summarize(`ask, ${CHUNKS} chunks: ${v} (durationMs)`, durations.get(v) ?? []),
);
const cpuTimes = variants.map((v) =>
  summarize(`ask, ${CHUNKS} chunks: ${v} (orchestrator CPU)`, cpu.get(v) ?? []),
);
const streamed = variants.filter((v) => v !== "plain");
const overhead = streamed.map((v) => summarize(`${v} − plain, same round (wall)`, diffs.get(v) ?? []));
const cpuOverhead = streamed.map((v) => summarize(`${v} − plain, same round (CPU)`, cpuDiffs.get(v) ?? []));
const handler = summarize("handler per chunk (ns)", handlerNs);
console.log(formatTable([...asks, ...cpuTimes]));
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
for (const o of [...overhead, ...cpuOverhead])
  console.log(
    `${o.name}: median ${o.medianMs.toFixed(1)} ms, p99 ${o.p99Ms.toFixed(1)} ms; per chunk ${us(o.medianMs / CHUNKS)} (median / ${CHUNKS})`,
  );
console.log(`part updates: ${partUpdates} over ${RUNS + 1} live-progress asks (throttled to one per 500 ms)`);
console.log(
  `handler per chunk (in process, ${RUNS} runs of 100 000 chunks): median ${handler.medianMs.toFixed(0)} ns, p99 ${handler.p99Ms.toFixed(0)} ns`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      runs: RUNS,
      chunks: CHUNKS,
      chunkSize: CHUNK_SIZE,
      asks,
      orchestratorCpu: cpuTimes,
      overhead: [...overhead, ...cpuOverhead].map((o) => ({
        ...o,
        perChunkUs: (o.medianMs / CHUNKS) * 1000,
      })),
      partUpdates: { total: partUpdates, asks: RUNS + 1 },
      handlerPerChunkNs: { medianNs: handler.medianMs, p99Ns: handler.p99Ms, minNs: handler.minMs },
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
