// Holds the registry lock from another process until its stdin closes.
// Usage: node --import tsx lock-holder.ts <file>; prints "locked" once it holds the lock.
import { withFileLock } from "../file-lock.js";
import { consoleRegistryLogger } from "../logger.js";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: lock-holder.ts <file>");
await withFileLock(file, {}, consoleRegistryLogger, async () => {
  process.stdout.write("locked\n");
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once("end", resolve));
});
