import { defineProject } from "vitest/config";

// Tests start real processes (servers, sandboxes): the timeout guards against a hang, it is not a
// speed check, and the 5 s default is too short for a first start on a loaded 2-core CI machine.
export default defineProject({ test: { name: "runtime", testTimeout: 60_000 } });
