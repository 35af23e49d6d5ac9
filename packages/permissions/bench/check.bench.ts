import { fileURLToPath } from "node:url";
import { type BenchStats, measure, report } from "@orchestra/testkit";
import { type CheckContext, check, type Permissions } from "../src/index.js";

const coder: Permissions = {
  categories: { filesystem: "full", execution: "sandboxed", network: "localhost" },
  tools: { bash: { enabled: true, constraints: { deniedFlags: ["--force", "-f"] } } },
  paths: { denied: ["**/.env", "~/.ssh/**"] },
};
const reviewer: Permissions = { categories: { filesystem: "read", execution: "sandboxed", network: "none" } };
const packageJson = { scripts: { test: "vitest run", pretest: "tsc --noEmit" } };
const mapped: CheckContext = {
  cwd: "/proj",
  home: "/home/u",
  platform: "linux",
  caseInsensitiveFs: false,
  symlinks: {},
  packageJson,
};
const projectDir = fileURLToPath(new URL("..", import.meta.url));
const disk: CheckContext = {
  cwd: projectDir,
  home: "/root",
  platform: "linux",
  caseInsensitiveFs: false,
  packageJson,
};

const commands = [
  "git status",
  "ls -la src",
  "grep -rn foo src",
  "npm test",
  "git diff HEAD~1 -- src/index.ts",
  "cat package.json | jq .scripts > out.json",
  "cd src && git log --oneline -n 5 | head",
  "git push --force",
];

const results: BenchStats[] = [];
const options = { runs: 5000, warmup: 500 };
for (const command of commands) {
  const call = { tool: "bash", args: { command } };
  results.push(await measure(`coder  bash: ${command}`, () => void check(coder, call, mapped), options));
}
results.push(
  await measure(
    "reviewer bash: git status",
    () => void check(reviewer, { tool: "bash", args: { command: "git status" } }, mapped),
    options,
  ),
);
results.push(
  await measure(
    "coder  read: src/a.ts",
    () => void check(coder, { tool: "read", args: { filePath: "src/a.ts" } }, mapped),
    options,
  ),
);
results.push(
  await measure(
    "coder  webfetch: localhost",
    () => void check(coder, { tool: "webfetch", args: { url: "http://localhost:3000/x" } }, mapped),
    options,
  ),
);
for (const command of ["git status", "grep -rn foo src", "npm test"]) {
  const call = { tool: "bash", args: { command } };
  results.push(await measure(`real fs bash: ${command}`, () => void check(coder, call, disk), options));
}
// Recursive reads walk the tree: the whole repository (with node_modules) is the worst typical case.
const repo: CheckContext = { ...disk, cwd: fileURLToPath(new URL("../../..", import.meta.url)) };
for (const call of [
  { tool: "bash", args: { command: "grep -r foo ." } },
  { tool: "grep", args: { pattern: "foo" } },
  { tool: "bash", args: { command: "cat packages/*/package.json" } },
]) {
  const name = `repo walk ${call.tool}: ${call.tool === "grep" ? "path ." : call.args.command}`;
  results.push(await measure(name, () => void check(coder, call, repo), { runs: 30, warmup: 3 }));
}
results.push(
  await measure(
    "cold: new permissions object each call",
    () => void check({ ...coder }, { tool: "bash", args: { command: "git status" } }, mapped),
    { runs: 1000, warmup: 100 },
  ),
);

report(
  "@orchestra/permissions check()",
  results,
  fileURLToPath(new URL("../bench-results/check.json", import.meta.url)),
);
