import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultProviderSlotsFile, ProviderSlots } from "@orchestra/runtime/internal";
import { type RecordedRequest, reply, type ScriptedModel } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alive, cliUserDirs, runWorkers, startCliUser } from "../test-support/cli-user.js";

// modelSelection.maxConcurrent across processes: three process workers spawned by the CLI, then
// three separate `orchestra workers ask` processes at once, with a cap of 1 on the scripted
// provider. Each model request takes 400 ms, so overlapping requests would show in the scripted
// model's log; it shows them one after another, and the asks that waited said so on stderr. The
// test process holds the only slot until all three have queued, so every one of them waits.
const dirs = cliUserDirs("orchestra-cli-concurrency-");
const { root, project, xdg } = dirs;
let model: ScriptedModel;
let env: NodeJS.ProcessEnv;
const pids = new Set<number>();

const orchestra = (...args: string[]) => runWorkers(args, { cwd: project, env });

beforeAll(async () => {
  ({ model, env } = await startCliUser(dirs, {
    script: (req) => reply.text(`worker says: ${req.lastUserText}`, { delayMs: 400 }),
  }));
  // The project's orchestrator config: one scripted request at a time, for every process.
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({ modelSelection: { maxConcurrent: { scripted: 1 } } }),
  );
});

afterAll(async () => {
  await orchestra("stop", "--all", "--grace", "1000");
  for (const pid of pids) if (alive(pid)) process.kill(-pid, "SIGKILL");
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Resolves once the provider's queue in `file` holds `count` tickets. */
async function queued(file: string, count: number): Promise<void> {
  for (;;) {
    if (existsSync(file)) {
      const doc = JSON.parse(readFileSync(file, "utf8")) as { providers: Record<string, unknown[]> };
      if ((doc.providers.scripted ?? []).length >= count) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pairs of requests whose [receivedAt, finishedAt] intervals overlap. */
function overlaps(requests: readonly RecordedRequest[]): [number, number][] {
  const found: [number, number][] = [];
  for (const a of requests)
    for (const b of requests)
      if (
        a.index < b.index &&
        b.receivedAt < (a.finishedAt ?? Number.POSITIVE_INFINITY) &&
        a.receivedAt < (b.finishedAt ?? Number.POSITIVE_INFINITY)
      )
        found.push([a.index, b.index]);
  return found;
}

describe("orchestra workers ask under modelSelection.maxConcurrent", () => {
  it("three asks from three processes at once never have two requests to the capped provider in flight", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const spawned = await orchestra("spawn", "explorer", "--json", "--model", "scripted/fake-fast");
      expect(spawned.code, spawned.stderr).toBe(0);
      const worker = JSON.parse(spawned.stdout) as { id: string; pid: number };
      pids.add(worker.pid);
      ids.push(worker.id);
    }
    expect(new Set(ids).size).toBe(3);

    // The user's queue, where the CLI keeps it: beside the device registry in the data dir.
    const file = defaultProviderSlotsFile(join(xdg.XDG_DATA_HOME, "opencode", "orchestra", "registry.json"));
    const held = await new ProviderSlots({ caps: { scripted: 1 }, file }).acquire("scripted");
    const asking = Promise.all(
      ids.map((id, i) => orchestra("ask", id, `capped ${i}`, "--timeout", "120000")),
    );
    await queued(file, 4);
    // Three processes wait behind our slot: none of them has reached the model.
    expect(model.requests.filter((r) => r.lastUserText.startsWith("capped "))).toEqual([]);
    await held();
    const asks = await asking;
    expect(asks.map((a) => a.code)).toEqual([0, 0, 0]);
    expect(asks.map((a) => a.stdout)).toEqual([
      "worker says: capped 0\n",
      "worker says: capped 1\n",
      "worker says: capped 2\n",
    ]);

    // The asks' requests (OpenCode's own title requests offer no tools).
    const requests = model.requests.filter(
      (r) => r.lastUserText.startsWith("capped ") && r.toolNames.length > 0,
    );
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.finishedAt !== undefined)).toBe(true);
    expect(overlaps(requests)).toEqual([]);
    // Every process waited for the slot, and said so.
    for (const a of asks) expect(a.stderr).toMatch(/: waiting for a scripted slot: 1 of 1 in use/);
  }, 600_000);
});
