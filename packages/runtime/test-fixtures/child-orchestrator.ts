// A child-process orchestrator for fault-injection tests (run with `node --import tsx`).
//   argv[2]: the test Home as JSON; argv[3]: mode
//   spawn2      start, spawn "coder" and "architect", print `READY <json>`, then idle
//   signals     install the SIGINT/SIGTERM handlers, start, spawn "coder" (its start may be
//               slowed with FAKE_OPENCODE_START_DELAY), print `SPAWNING`, `READY <json>`, idle
//   lease       start with a warm pool of one "coder", lease it, ask it something (the lease is
//               kept), print `LEASED <json>` once the pool has an idle worker again and the
//               registry records the lease as busy, then idle
// Config JSON may be given in ORCHESTRA_TEST_CONFIG.
import { installShutdownSignals, registerForShutdown } from "../src/lifecycle/shutdown-signals.js";
import { type Home, makeHarness } from "../src/lifecycle/test-support/harness.js";
import { openRegistry } from "../src/registry/registry.js";

const home = JSON.parse(process.argv[2] ?? "{}") as Home;
const mode = process.argv[3] ?? "spawn2";
const config = process.env.ORCHESTRA_TEST_CONFIG ? JSON.parse(process.env.ORCHESTRA_TEST_CONFIG) : {};
const { orchestra, lifecycle } = await makeHarness({ home, config });
if (mode === "signals") {
  registerForShutdown(lifecycle);
  installShutdownSignals({
    deadlineMs: 30_000,
    onSignal: (signal, forced) =>
      process.stdout.write(`SIGNAL ${signal} ${forced ? "forced" : "graceful"}\n`),
  });
}
await lifecycle.start();
const keepAlive = setInterval(() => {}, 1 << 30);
if (mode === "lease") {
  const lease = await lifecycle.acquire("coder");
  await lease.worker.ask("a task");
  while (lifecycle.warmStats().coder?.idle !== 1) await new Promise((r) => setTimeout(r, 20));
  // The lease is written to the registry in the background: crash only once it is on disk.
  const registry = openRegistry({ file: home.registryFile, logger: { warn: () => {} } });
  while ((await registry.get(lease.worker.info.id))?.status !== "busy")
    await new Promise((r) => setTimeout(r, 20));
  process.stdout.write(`LEASED ${JSON.stringify(lease.worker.info)}\n`);
} else if (mode === "spawn2") {
  const workers = await Promise.all([orchestra.spawn("coder"), orchestra.spawn("architect")]);
  process.stdout.write(`READY ${JSON.stringify(workers.map((w) => w.info))}\n`);
} else {
  process.stdout.write("SPAWNING\n");
  const worker = await orchestra.spawn("coder").catch((error: Error) => {
    process.stdout.write(`SPAWN FAILED ${error.message}\n`);
    return undefined;
  });
  if (worker) process.stdout.write(`READY ${JSON.stringify([worker.info])}\n`);
}
void keepAlive;
