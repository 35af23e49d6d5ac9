/**
 * A child process for the multi-process test: opens the embedded store at argv[2] and writes
 * argv[4] memories as writer argv[3], linking each to the previous one and upserting a shared
 * key every 10 writes. Runs under Node (through tsx) and under Bun. Prints one JSON line.
 */
import { openEmbeddedStore } from "../src/embedded-store.js";

const [path, name, countText] = process.argv.slice(2);
if (!path || !name || !countText) throw new Error("usage: concurrent-writer <db> <name> <count>");
const count = Number(countText);
const store = openEmbeddedStore({ path, project: "/multi/process", busyTimeoutMs: 30_000 });
const runtime = typeof (globalThis as { Bun?: { version: string } }).Bun === "object" ? "bun" : "node";
for (let i = 0; i < count; i++) {
  await store.put({
    key: `${name}/${i}`,
    value: `memory ${i} written by ${name}`,
    tags: [name, "concurrent"],
  });
  if (i > 0) await store.link({ key: `${name}/${i}` }, { key: `${name}/${i - 1}` }, "follows");
  if (i % 10 === 0) await store.put({ scope: "global", key: "shared/last-writer", value: `${name} at ${i}` });
}
const mine = await store.search(name, { tags: [name], limit: 1000 });
await store.close();
process.stdout.write(`${JSON.stringify({ name, runtime, written: count, visible: mine.length })}\n`);
