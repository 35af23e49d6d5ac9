import { defineProject } from "vitest/config";

// The Neo4j contract suite starts a real Neo4j (Java) once per test file; its first run also
// fetches the artifacts with Maven. Generous hook timeouts are for that, not for the tests.
export default defineProject({ test: { name: "memory", hookTimeout: 600_000, testTimeout: 60_000 } });
