import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TOOL_REFERENCE, toolReference } from "./tool-reference.js";

const file = join(import.meta.dirname, "..", "..", "..", TOOL_REFERENCE);
writeFileSync(file, toolReference());
console.log(`wrote ${TOOL_REFERENCE}`);
