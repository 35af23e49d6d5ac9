// The README's main job: a real orchestration, offline. A real `opencode serve` loads the Open
// Orchestra plugin; the bundled scripted model plays the orchestrator's LLM and calls the
// plugin's tools; workers (a process worker and a session worker) answer through the same
// scripted model. Every process is stopped at the end, and the demo checks that none is left.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { echoScript, reply, rules, startOpencode, startScriptedModel } from "@orchestra/testkit";

const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "..", "plugin", "dist", "index.js");
const CALL = /^call (\w+)(?: (\{.*\}))?$/s;
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`.padStart(6);
const say = (line: string) => process.stdout.write(`[${elapsed()}] ${line}\n`);
const indent = (text: string) => text.replace(/^/gm, "         │ ");

const model = await startScriptedModel({
  script: rules(
    [
      {
        userText: CALL,
        reply: (req) => {
          const [, name = "", json] = CALL.exec(req.lastUserText ?? "") ?? [];
          return reply.toolCall(name, json ? (JSON.parse(json) as Record<string, unknown>) : {});
        },
      },
      { toolResult: true, reply: (req) => `(orchestrator) ${req.lastToolResult?.name} done.` },
      { model: "fake-vision", reply: "A terminal window showing `pnpm test`: 42 tests passed, 0 failed." },
      {
        userText: /.*/,
        reply: (req) =>
          `On it. Summary for "${(req.lastUserText ?? "").slice(0, 60)}": done, no issues found.`,
      },
    ],
    echoScript,
  ),
});
say(`scripted model listening on ${model.url}`);

const opencode = await startOpencode({
  model,
  plugins: [pluginFile],
  resolveFrom: here,
  startupTimeoutMs: 120_000,
  config: { enabled_providers: ["scripted"] },
  // Disposing the instance runs the plugin's dispose hook, which stops the workers gracefully.
  disposeTimeoutMs: 20_000,
});
say(`opencode serve (pid ${opencode.pid}) listening on ${opencode.url}, with the Open Orchestra plugin`);

const session = await opencode.client.session.create({ title: "Open Orchestra demo" });
const sessionID = session.data?.id ?? "";
const workerPids = new Set<number>();

async function call(tool: string, args: Record<string, unknown>): Promise<string> {
  const before = model.requests.length;
  say(`orchestrator → ${tool} ${JSON.stringify(args)}`);
  const result = await opencode.client.session.prompt({
    sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [{ type: "text", text: `call ${tool} ${JSON.stringify(args)}` }],
  });
  if (result.error) throw new Error(`${tool} failed: ${JSON.stringify(result.error)}`);
  const out =
    model.requests.slice(before).find((r) => r.lastToolResult?.name === tool)?.lastToolResult?.content ?? "";
  process.stdout.write(`${indent(out)}\n`);
  return out;
}

try {
  const coder = JSON.parse(await call("spawn_worker", { profile: "coder", format: "json" })) as {
    pid?: number;
  };
  if (coder.pid) workerPids.add(coder.pid);
  await call("spawn_worker", { profile: "explorer" });
  await call("delegate_task", {
    task: "Find where the orchestrator config is loaded and list the files involved",
  });
  await call("ask_worker", { id: "coder", message: "Add a unit test for the config loader" });

  say("user → an image, sent to a text-only model (fake-fast): the plugin routes it to the vision worker");
  const before = model.requests.length;
  const png =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  await opencode.client.session.prompt({
    sessionID,
    model: { providerID: "scripted", modelID: "fake-fast" },
    parts: [
      { type: "text", text: "Did the tests pass in this screenshot?" },
      { type: "file", mime: "image/png", url: `data:image/png;base64,${png}`, filename: "terminal.png" },
    ],
  });
  const hostSaw = model.requests.slice(before).find((r) => r.model === "fake-fast")?.lastUserText ?? "";
  process.stdout.write(`${indent(`the text-only model received:\n${hostSaw}`)}\n`);

  const list = await call("list_workers", { format: "json" });
  for (const w of JSON.parse(list) as { pid?: number }[]) if (w.pid) workerPids.add(w.pid);
} finally {
  say("shutting down: OpenCode disposes the plugin, which stops every worker");
  await opencode.client.instance.dispose({}).catch(() => undefined);
  // OpenCode does not await plugin dispose hooks, so wait (at most 15 s) for the workers to go.
  const deadline = Date.now() + 15_000;
  while ([...workerPids].some(groupAlive) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  await opencode.stop();
  await model.close();
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const alive = [opencode.pid, ...workerPids].filter(groupAlive);
if (alive.length > 0) {
  say(`FAILED: process groups still alive: ${alive.join(", ")}`);
  process.exit(1);
}
say(`done: ${workerPids.size + 1} process groups started, 0 left running`);
