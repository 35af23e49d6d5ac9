// ask_worker and delegate_task show live progress on their running tool part: the worker's current
// tool, its elapsed time and the last line of its text, while the tool waits; the final output is
// unchanged. One real OpenCode with the plugin from dist and the scripted model. The worker (a
// session worker) writes a line, then calls webfetch on a local page that the test holds open until
// it has seen that progress on the host's event stream: so the order "progress, then the reply
// ends" is forced, and nothing depends on how fast anything runs. Then the worker streams its
// answer slowly (chunkDelayMs).
//
// A test-only plugin (written into the temp project, not the product plugin) calls ctx.metadata()
// alone, and asserts what OpenCode 1.18.33 does with it: nothing (anomalyco/opencode#50313).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  echoScript,
  type OpencodeInstance,
  rules,
  type ScriptedModel,
  startOpencode,
  startScriptedModel,
} from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRule, callToolIn } from "./test-support/scripted-calls.js";

const here = dirname(fileURLToPath(import.meta.url));
const pluginFile = join(here, "..", "dist", "index.js");

const FIRST_LINE = "Looking up the page first.";
const ANSWER = [
  "The page says three things.",
  "One: progress is streamed.",
  "Two: the part is updated.",
  "Three: the answer is unchanged.",
].join("\n");

/** A tool part as it appears in `message.part.updated`. */
interface ToolPartEvent {
  id: string;
  callID: string;
  tool: string;
  state: {
    status: string;
    title?: string;
    output?: string;
    metadata?: Record<string, unknown>;
  };
}

/** Every tool-part update the host published, in order. */
const toolParts: ToolPartEvent[] = [];
/** Wakes whoever waits for a tool-part update. */
const partListeners = new Set<() => void>();

/** Resolves with the first recorded update that `match` accepts (already recorded ones too). */
function partUpdate(match: (p: ToolPartEvent) => boolean): Promise<ToolPartEvent> {
  return new Promise((resolve) => {
    const check = () => {
      const found = toolParts.find(match);
      if (!found) return;
      partListeners.delete(check);
      resolve(found);
    };
    partListeners.add(check);
    check();
  });
}

/** A local page that answers only once the test releases it. */
let gate: Server;
let gatePort = 0;
const held = new Map<string, () => void>();
/** Pages answered at once when their request arrives (the test released them before it did). */
const released = new Set<string>();
function release(name: string): void {
  released.add(name);
  held.get(name)?.();
  held.delete(name);
}

let model: ScriptedModel;
let opencode: OpencodeInstance;
let scratch = "";
let sessionID = "";
const stopEvents = new AbortController();

function callTool(tool: string, args: Record<string, unknown> = {}): Promise<string> {
  return callToolIn({ model, opencode, sessionID }, tool, args);
}

// The test-only plugin: one tool that calls ctx.metadata() and nothing else, then reads its own
// running part back from the server (a fixed OpenCode may return a promise: it is awaited).
const CANARY_PLUGIN = `
export const MetadataCanary = async ({ client }) => ({
  tool: {
    metadata_canary: {
      description: "Test only: calls ctx.metadata() and reads its own running part back.",
      args: {},
      async execute(_args, ctx) {
        await ctx.metadata({ title: "canary title", metadata: { canary: "metadata-canary" } });
        const message = await client.session.message({ path: { id: ctx.sessionID, messageID: ctx.messageID } });
        const part = (message.data?.parts ?? []).find((p) => p.type === "tool" && p.callID === ctx.callID);
        return JSON.stringify({
          callID: ctx.callID ?? null,
          status: part?.state?.status ?? null,
          title: part?.state?.title ?? null,
          metadata: part?.state?.metadata ?? null,
        });
      },
    },
  },
});
`;

beforeAll(async () => {
  gate = createServer((req, res) => {
    const name = (req.url ?? "/").slice(1);
    const answer = () => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`page ${name}: progress is streamed`);
    };
    if (released.has(name)) answer();
    else held.set(name, answer);
  });
  await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
  gatePort = (gate.address() as AddressInfo).port;

  scratch = mkdtempSync(join(tmpdir(), "orchestra-live-progress-e2e-"));
  const project = join(scratch, "project");
  mkdirSync(join(project, ".opencode"), { recursive: true });
  writeFileSync(
    join(project, ".opencode", "orchestrator.json"),
    JSON.stringify({
      profiles: [
        {
          id: "researcher",
          kind: "session",
          purpose: "Live progress e2e: reads a page, then answers slowly",
          permissions: { categories: { filesystem: "read", execution: "none", network: "full" } },
        },
      ],
    }),
  );
  const canary = join(scratch, "metadata-canary.js");
  writeFileSync(canary, CANARY_PLUGIN);

  model = await startScriptedModel({
    script: rules(
      [
        callRule,
        // The worker: a first line, then webfetch of the held page named in its task.
        {
          userText: /^research slowly (\S+)$/,
          reply: (req) => ({
            type: "tool-calls",
            text: `${FIRST_LINE}\n`,
            calls: [
              {
                name: "webfetch",
                args: {
                  url: `http://127.0.0.1:${gatePort}/${/^research slowly (\S+)$/.exec(req.lastUserText)?.[1]}`,
                  format: "text",
                },
              },
            ],
          }),
        },
        // …then its answer, streamed slowly.
        { toolResult: "webfetch", reply: { type: "text", text: ANSWER, chunkSize: 6, chunkDelayMs: 40 } },
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
      ],
      echoScript,
    ),
  });
  opencode = await startOpencode({
    model,
    plugins: [pluginFile, canary],
    resolveFrom: here,
    directory: project,
    startupTimeoutMs: 120_000,
    config: { enabled_providers: ["scripted"] },
  });
  const events = await opencode.client.event.subscribe(undefined, { signal: stopEvents.signal });
  void (async () => {
    for await (const event of events.stream as AsyncIterable<{ type: string; properties: unknown }>) {
      if (event.type !== "message.part.updated") continue;
      const part = (event.properties as { part?: { type?: string } }).part;
      if (part?.type !== "tool") continue;
      toolParts.push(structuredClone(part) as ToolPartEvent);
      for (const wake of [...partListeners]) wake();
    }
  })().catch(() => undefined);
  const session = await opencode.client.session.create({ title: "live progress e2e" });
  sessionID = session.data?.id ?? "";
  expect(await callTool("spawn_worker", { profile: "researcher", format: "json" })).toContain('"ready"');
}, 240_000);

afterAll(async () => {
  stopEvents.abort();
  for (const open of held.values()) open();
  await new Promise((resolve) => gate?.close(resolve));
  await opencode?.stop();
  await model?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Progress {
  workerId?: string;
  tool?: string;
  elapsedMs?: number;
  lastLine?: string;
}
const progressOf = (p: ToolPartEvent) => p.state.metadata?.progress as Progress | undefined;

/**
 * Call `tool`, wait for a running update of its part showing the worker in webfetch after its first
 * line, release the page, and return that update, the tool's output and every update of the part.
 */
async function callWithHeldPage(tool: string, args: Record<string, unknown>, page: string) {
  const showsWebfetch = partUpdate(
    (p) =>
      p.tool === tool &&
      p.state.status === "running" &&
      progressOf(p)?.tool === "webfetch" &&
      progressOf(p)?.lastLine === FIRST_LINE,
  );
  const output = callTool(tool, args);
  const running = await showsWebfetch;
  // Only now may the worker's tool, and so its reply and the ask, end.
  release(page);
  const out = await output;
  // The event stream is another connection than the prompt's: wait until it delivered the end.
  await partUpdate((p) => p.callID === running.callID && p.state.status === "completed");
  const updates = toolParts.filter((p) => p.callID === running.callID);
  return { running, out, updates };
}

describe("live progress on the running tool part", { timeout: 180_000 }, () => {
  it("ask_worker: the worker's current tool, elapsed time and last line reach the part before the reply ends; the output is unchanged", async () => {
    const { running, out, updates } = await callWithHeldPage(
      "ask_worker",
      { id: "researcher", message: "research slowly ask-page" },
      "ask-page",
    );
    // The final output is the worker's answer, exactly as without progress.
    expect(out).toBe(ANSWER);

    const progress = progressOf(running);
    expect(progress).toMatchObject({ workerId: "researcher", tool: "webfetch", lastLine: FIRST_LINE });
    expect(typeof progress?.elapsedMs).toBe("number");
    expect(running.state.title).toMatch(
      /^researcher: running webfetch \(\d+ s\) · Looking up the page first\.$/,
    );

    // Order: running updates with progress, then the completed part, and nothing after it.
    const completed = updates.findIndex((p) => p.state.status === "completed");
    expect(completed).toBeGreaterThan(updates.indexOf(running));
    expect(updates.slice(completed + 1).filter((p) => p.state.status === "running")).toEqual([]);
    expect(updates[completed]?.state.output).toBe(ANSWER);
    // Elapsed time never goes back across the updates.
    const elapsed = updates.flatMap((p) => {
      const e = progressOf(p)?.elapsedMs;
      return p.state.status === "running" && e !== undefined ? [e] : [];
    });
    expect(elapsed.length).toBeGreaterThan(0);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));

    // The activity log says who answered.
    expect(await callTool("orchestrator_output")).toMatch(/researcher answered in \d+ ms/);
  });

  it("delegate_task shows the same progress, and its output names the worker and its answer", async () => {
    const { running, out, updates } = await callWithHeldPage(
      "delegate_task",
      { task: "research slowly delegate-page", profile: "researcher" },
      "delegate-page",
    );
    expect(out).toBe(`Worker researcher answered:\n${ANSWER}`);
    expect(progressOf(running)).toMatchObject({
      workerId: "researcher",
      tool: "webfetch",
      lastLine: FIRST_LINE,
    });
    expect(running.state.title).toMatch(/^researcher: running webfetch \(\d+ s\) · /);
    const completed = updates.findIndex((p) => p.state.status === "completed");
    expect(completed).toBeGreaterThan(updates.indexOf(running));
    expect(updates.slice(completed + 1).filter((p) => p.state.status === "running")).toEqual([]);
  });
});

describe("upstream anomalyco/opencode#50313 (ctx.metadata in plugin tools)", { timeout: 120_000 }, () => {
  it("OpenCode 1.18.33 drops ctx.metadata(): a plugin tool's running part never shows it", async () => {
    const out = JSON.parse(await callTool("metadata_canary")) as {
      callID: string | null;
      status: string | null;
      title: string | null;
      metadata: Record<string, unknown> | null;
    };
    // The tool context has the call id (live progress finds its part by it), and the part is running.
    expect(out.callID).toMatch(/\S/);
    expect(out.status).toBe("running");
    const fixed =
      "upstream anomalyco/opencode#50313 appears fixed: switch live progress to ctx.metadata and drop the part.update path";
    // Read back by the tool itself, after ctx.metadata() (awaited, in case it returns a promise).
    expect(out.metadata?.canary, fixed).toBeUndefined();
    expect(out.title, fixed).not.toBe("canary title");
    // Nor did any update of the part published while it ran carry it.
    await partUpdate((p) => p.callID === out.callID && p.state.status === "completed");
    const running = toolParts.filter((p) => p.callID === out.callID && p.state.status === "running");
    expect(running.length).toBeGreaterThan(0);
    expect(
      running.filter((p) => p.state.metadata?.canary !== undefined || p.state.title === "canary title"),
      fixed,
    ).toEqual([]);
  });
});
