/**
 * OpenCode baselines: cold start (spawn → first 200 on GET /session) and prompt round trips
 * against the scripted model. Every later figure is compared with these.
 *
 *   pnpm --filter @orchestra/testkit bench            # 7 runs each
 *   pnpm --filter @orchestra/testkit bench -- --runs 9 --unseeded
 *
 * `--unseeded` adds one cold start WITHOUT the pre-seeded plugin install, to show the trap.
 */
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  type BenchStats,
  measure,
  type OpencodeInstance,
  reply,
  report,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
  summarize,
} from "../src/index.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const plugin = join(packageDir, "test-fixtures", "echo-plugin.js");
const argv = process.argv.slice(2);
const runsArg = argv.indexOf("--runs");
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
const unseeded = argv.includes("--unseeded");

async function firstOk(instance: OpencodeInstance, path: string): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${instance.url}${path}`, {
        headers: instance.headers,
        signal: AbortSignal.timeout(120_000),
      });
      if (res.status === 200) return;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function promptOnce(instance: OpencodeInstance, text: string): Promise<undefined> {
  const session = await instance.client.session.create({ title: "bench" });
  const sessionID = session.data?.id;
  if (!sessionID) throw new Error(`session.create failed: ${JSON.stringify(session.error)}`);
  const result = await instance.client.session.prompt({
    sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text }],
  });
  if (result.error) throw new Error(`prompt failed: ${JSON.stringify(result.error)}`);
  return undefined;
}

async function main(): Promise<void> {
  const model: ScriptedModel = await startScriptedModel({
    script: rules([
      { userText: "use the echo tool", reply: reply.toolCall("testkit_echo", { text: "bench" }) },
      { toolResult: "testkit_echo", reply: "Tool done." },
      { reply: "Scripted answer." },
    ]),
  });
  const results: BenchStats[] = [];
  try {
    // Cold start: spawn → "listening on" line, spawn → first 200 on GET /session, then the first prompt.
    const listening: number[] = [];
    const firstPrompt: number[] = [];
    const cold = await measure(
      "cold start: spawn → first 200 GET /session (plugin loaded)",
      async () => {
        const t0 = performance.now();
        const instance = await startOpencode({
          model,
          plugins: [plugin],
          resolveFrom: packageDir,
          startupTimeoutMs: 120_000,
        });
        try {
          listening.push(performance.now() - t0);
          await firstOk(instance, "/session");
          const coldMs = performance.now() - t0;
          const p0 = performance.now();
          await promptOnce(instance, "hello");
          firstPrompt.push(performance.now() - p0);
          return coldMs;
        } finally {
          await instance.stop();
        }
      },
      { runs },
    );
    results.push(summarize("cold start: spawn → listening line", listening), cold);
    results.push(summarize("first prompt on a fresh server (create + prompt)", firstPrompt));

    // Warm round trips on one server.
    const instance = await startOpencode({
      model,
      plugins: [plugin],
      resolveFrom: packageDir,
      startupTimeoutMs: 120_000,
    });
    try {
      await promptOnce(instance, "warm up");
      results.push(
        await measure(
          "prompt round trip: session.create + prompt (text reply)",
          () => promptOnce(instance, "hello"),
          {
            runs,
            warmup: 1,
          },
        ),
      );
      results.push(
        await measure(
          "prompt round trip with a plugin tool call (2 model calls)",
          () => promptOnce(instance, "Please use the echo tool."),
          { runs, warmup: 1 },
        ),
      );
      results.push(
        await measure(
          "session.create",
          async () => {
            await instance.client.session.create({ title: "bench" });
            return undefined;
          },
          { runs, warmup: 1 },
        ),
      );
    } finally {
      await instance.stop();
    }

    if (unseeded) {
      const t0 = performance.now();
      const bare = await startOpencode({
        model,
        plugins: [plugin],
        resolveFrom: packageDir,
        seedPluginInstall: false,
        startupTimeoutMs: 180_000,
      });
      try {
        await firstOk(bare, "/session");
        const cold = performance.now() - t0;
        const p0 = performance.now();
        await promptOnce(bare, "hello");
        results.push(summarize("UNSEEDED cold start → first 200 (1 run)", [cold]));
        results.push(summarize("UNSEEDED first prompt (1 run)", [performance.now() - p0]));
      } finally {
        await bare.stop();
      }
    }
  } finally {
    await model.close();
  }
  report(
    `opencode ${process.platform} node ${process.version}`,
    results,
    join(packageDir, "bench-results", "opencode.json"),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
