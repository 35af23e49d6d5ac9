// An orchestrator in its own process, for the owner-watchdog e2e test: it spawns one process worker
// (loading the plugin at argv[3]) in the project at argv[2], prints `WORKER <pid>`, then idles until
// it is killed. Built packages only (dist), so plain Node runs it.
import { loadConfig } from "@orchestra/config";
import { loadProfileRegistry } from "@orchestra/profiles";
import { createOrchestra } from "@orchestra/runtime";

const [directory, plugin] = process.argv.slice(2);
const loaded = await loadConfig({ projectDir: directory });
const profiles = await loadProfileRegistry({
  projectDir: directory,
  config: { profiles: loaded.config.profiles },
});
const orchestra = await createOrchestra({
  config: loaded.config,
  directory,
  profiles,
  binary: process.env.ORCHESTRA_OPENCODE_BIN,
  workerPlugins: [plugin],
});
const worker = await orchestra.spawn("explorer", { kind: "process" });
process.stdout.write(`WORKER ${worker.pid}\n`);
setInterval(() => undefined, 1 << 30);
