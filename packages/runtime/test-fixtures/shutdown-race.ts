// A child-process host for the "shutdown racing a spawn's ready" fault (run with `node --import tsx`).
//   argv[2]: the test Home as JSON; argv[3]: iterations
// Each iteration starts a lifecycle, spawns "coder" and, once the worker is ready, shuts the
// lifecycle down after `i % 6` ms (so the shutdown lands at different points of the ready path).
// It prints `ITER <i> <spawn outcome>` per iteration and `DONE` at the end, then returns without
// calling process.exit: the process exits only if nothing (no leaked worker) keeps it alive.
import { type Home, makeHarness } from "../src/lifecycle/test-support/harness.js";

const home = JSON.parse(process.argv[2] ?? "{}") as Home;
const iterations = Number(process.argv[3] ?? 20);

for (let i = 0; i < iterations; i++) {
  const { orchestra, lifecycle } = await makeHarness({ home });
  await lifecycle.start();
  let shutdown: Promise<unknown> | undefined;
  const spawned = orchestra
    .spawn("coder", {
      onProgress: (p) => {
        if (p.stage !== "ready") return;
        const delay = i % 6;
        if (delay === 0) shutdown = lifecycle.shutdown();
        else setTimeout(() => (shutdown = lifecycle.shutdown()), delay);
      },
    })
    .then(
      () => "spawned",
      (error: Error & { code?: string }) => `failed ${error.code ?? error.message}`,
    );
  const outcome = await spawned;
  while (shutdown === undefined) await new Promise((r) => setTimeout(r, 1));
  await shutdown;
  process.stdout.write(`ITER ${i} ${outcome}\n`);
}
process.stdout.write("DONE\n");
