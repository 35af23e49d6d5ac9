// The cost of worktree isolation (`isolation: "worktree"`) per worker, against a plain
// `git worktree add` of the same repository in the same run (the floor: what git itself costs).
//   pnpm --filter @orchestra/runtime bench:worktree [-- --files 2000 --runs 15]
// Writes bench-results/worktree.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { type BenchStats, report, summarize } from "@orchestra/testkit";
import { runGit } from "../src/worktree/git-run.js";
import { createWorktree, finishWorktree, removeWorktree } from "../src/worktree/worktree.js";

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const files = arg("--files", 2_000);
const runs = arg("--runs", 15);
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "bench-results", "worktree.json");

const tmp = mkdtempSync(join(tmpdir(), "orchestra-worktree-bench-"));
const project = join(tmp, "project");
const root = join(tmp, "worktrees");
const git = (...args: string[]) => execFileSync("git", args, { cwd: project, encoding: "utf8" });

// A project of `files` small files in 20 directories, one commit.
mkdirSync(project, { recursive: true });
git("init", "-q", "-b", "main");
git("config", "user.name", "Bench");
git("config", "user.email", "bench@example.com");
for (let i = 0; i < files; i++) {
  const dir = join(project, "src", `d${i % 20}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `f${i}.ts`), `export const v${i} = ${i};\n`);
}
git("add", ".");
git("commit", "-q", "-m", "init");

/** One timed step per case per round, the cases interleaved so that each round's load hits all of them. */
const cases: Record<string, () => Promise<number>> = {
  [`baseline: git worktree add -b <branch> <path> HEAD (${files} files)`]: async () => {
    const id = `plain-${n++}`;
    const t0 = performance.now();
    await runGit(project, ["worktree", "add", "--quiet", "-b", id, join(tmp, id), "HEAD"]);
    const ms = performance.now() - t0;
    await runGit(project, ["worktree", "remove", "--force", join(tmp, id)]);
    await runGit(project, ["branch", "-D", id]);
    return ms;
  },
  "createWorktree (what a spawn with isolation: worktree adds)": async () => {
    const t0 = performance.now();
    const record = await createWorktree({ directory: project, workerId: `w${n++}`, profile: "bench", root });
    const ms = performance.now() - t0;
    await removeWorktree(record);
    return ms;
  },
  "finishWorktree, nothing changed (stop: worktree and branch removed)": async () => {
    const record = await createWorktree({ directory: project, workerId: `w${n++}`, profile: "bench", root });
    const t0 = performance.now();
    await finishWorktree(record);
    return performance.now() - t0;
  },
  "finishWorktree, one file changed (stop: edits committed, worktree kept)": async () => {
    const record = await createWorktree({ directory: project, workerId: `w${n++}`, profile: "bench", root });
    writeFileSync(join(record.directory, "src", "d0", "f0.ts"), "export const v0 = -1;\n");
    const t0 = performance.now();
    await finishWorktree(record);
    const ms = performance.now() - t0;
    await removeWorktree(record);
    return ms;
  },
};
let n = 0;
try {
  const samples = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
  for (let round = -2; round < runs; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const ms = await run();
      if (round >= 0) samples.get(name)?.push(ms); // two warm-up rounds
    }
  }
  const results: BenchStats[] = [...samples].map(([name, ms]) => summarize(name, ms));
  report(`runtime worktree isolation: per-worker cost (${files}-file repository)`, results, out);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
