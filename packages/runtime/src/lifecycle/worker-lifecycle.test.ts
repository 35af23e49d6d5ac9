import { afterEach, describe, expect, it } from "vitest";
import { hashPassword } from "../registry/password-hash.js";
import { openRegistry } from "../registry/registry.js";
import { type Home, makeHarness, makeHome, orphans, removeHome, waitFor } from "./test-support/harness.js";
import { deriveWorkerPassword, loadWorkerSecret } from "./worker-secret.js";

let homes: Home[] = [];
function home(): Home {
  const h = makeHome();
  homes.push(h);
  return h;
}
afterEach(() => {
  for (const h of homes) removeHome(h);
  homes = [];
});

describe("WorkerLifecycle: registry integration", () => {
  it("records a ready worker with our identity and a derived password hash, and removes it on stop", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({ home: h });
    await lifecycle.start();
    const worker = await orchestra.spawn("coder");
    const registry = openRegistry({ file: h.registryFile });
    const entry = await registry.get(worker.id);
    expect(entry).toMatchObject({
      id: "coder",
      kind: "process",
      pid: worker.info.pid,
      pgid: worker.info.pid,
      status: "ready",
      owner: { kind: "orchestrator", pid: process.pid },
      directory: h.directory,
      url: worker.info.url,
      sessionId: worker.info.sessionId,
    });
    const secret = await loadWorkerSecret(h.secretFile);
    expect(entry?.passwordHash).toBe(
      hashPassword(deriveWorkerPassword(secret, "coder", entry?.createdAt ?? 0)),
    );
    // The derived password is the one the server was started with.
    const answer = await orchestra.ask("coder", "hello");
    expect(answer.text).toBe("fake answer to: hello");

    await orchestra.stop("coder");
    await waitFor(async () => (await registry.get("coder")) === undefined, 5_000, "entry removal");
    await lifecycle.shutdown();
    expect(orphans(h)).toEqual([]);
  });

  it("renews entries, and writes back entries that vanished", async () => {
    const h = home();
    const { orchestra, lifecycle, warnings } = await makeHarness({ home: h });
    await lifecycle.start();
    await orchestra.spawn("coder");
    const registry = openRegistry({ file: h.registryFile });
    const before = (await registry.get("coder"))?.renewedAt ?? 0;
    await registry.remove("coder");
    await new Promise((r) => setTimeout(r, 5));
    await lifecycle.renewNow();
    const after = await registry.get("coder");
    expect(after?.renewedAt).toBeGreaterThan(before);
    expect(warnings.join("\n")).toContain("missing from the device registry");
    await lifecycle.shutdown();
    expect(await registry.list()).toEqual([]);
    expect(orphans(h)).toEqual([]);
  });

  it("records CLI-owned workers with owner kind cli", async () => {
    const h = home();
    const { orchestra, lifecycle } = await makeHarness({ home: h });
    // Same harness but as the CLI would: owner "cli".
    const { createWorkerLifecycle } = await import("./worker-lifecycle.js");
    const cli = await createWorkerLifecycle({
      config: orchestra.config,
      directory: h.directory,
      owner: "cli",
      registryFile: h.registryFile,
      manifestFile: h.manifestFile,
      secretFile: h.secretFile,
    });
    expect(cli.owner.kind).toBe("cli");
    await lifecycle.shutdown();
  });

  it("picks a free id when another owner holds the profile's first id", async () => {
    const h = home();
    const a = await makeHarness({ home: h });
    const b = await makeHarness({ home: h });
    await a.lifecycle.start();
    await b.lifecycle.start();
    const first = await a.orchestra.spawn("coder");
    const second = await b.orchestra.spawn("coder");
    expect(first.id).toBe("coder");
    expect(second.id).toBe("coder-2");
    const ids = (await openRegistry({ file: h.registryFile }).list()).map((e) => e.id).sort();
    expect(ids).toEqual(["coder", "coder-2"]);
    await Promise.all([a.lifecycle.shutdown(), b.lifecycle.shutdown()]);
    expect(await openRegistry({ file: h.registryFile }).list()).toEqual([]);
    expect(orphans(h)).toEqual([]);
  });
});
