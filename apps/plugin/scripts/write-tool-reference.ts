import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { toolReferencePages } from "./tool-reference.js";

const repo = join(import.meta.dirname, "..", "..", "..");
for (const [path, text] of Object.entries(toolReferencePages())) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
  console.log(`wrote ${path}`);
}
