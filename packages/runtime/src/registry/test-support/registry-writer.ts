// A separate OS process that writes to a registry through the real lock.
// Usage: node --import tsx registry-writer.ts <file> <writer> <count> <upsert|allocate>
// Prints the ids it wrote, as one JSON array, on stdout.
import { openRegistry } from "../registry.js";
import { nextWorkerId } from "../worker-id.js";
import { makeEntry } from "./entries.js";

const [file, writer, countText, mode] = process.argv.slice(2);
if (file === undefined || writer === undefined || countText === undefined) {
  throw new Error("usage: registry-writer.ts <file> <writer> <count> <upsert|allocate>");
}
const count = Number(countText);
const registry = openRegistry({ file, lockTimeoutMs: 120_000 });
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  if (mode === "allocate") {
    const id = await registry.transact((entries) => {
      const next = nextWorkerId(
        "coder",
        entries.map((e) => e.id),
      );
      entries.push(makeEntry({ id: next, createdAt: Date.now(), renewedAt: Date.now() }));
      return next;
    });
    ids.push(id);
  } else {
    const id = `w${writer}-${i}`;
    await registry.upsert(makeEntry({ id, profile: "writer" }));
    ids.push(id);
  }
}
process.stdout.write(`${JSON.stringify(ids)}\n`);
