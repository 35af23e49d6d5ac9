// The ledger across a nested worker-to-worker request, in a real OpenCode with the plugin: the
// orchestrator asks `lead` (a process worker whose profile enables ask_peer), whose model asks
// `helper` through ask_peer, then answers. Every model call of the chain states its usage
// (125 000 input, 62 500 output tokens) on the priced `fake-ledger` (2 / 8 USD per 1M): 0.75 USD
// each, exactly. The journal links the helper's job to the lead's; the lead's total includes the
// job it caused, and the usage tool counts both toward the orchestrator's session.
import { join } from "node:path";
import {
  defaultJournalFile,
  defaultRegistryFile,
  openJobJournal,
  totalsWithCaused,
} from "@orchestra/runtime";
import { echoScript, reply, rules } from "@orchestra/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callAskPeer } from "./test-support/peer-asks.js";
import { type RedTeam, startRedTeam } from "./test-support/red-team.js";
import { callRule } from "./test-support/scripted-calls.js";

const STEP = 0.75;
const USAGE = { promptTokens: 125_000, completionTokens: 62_500 };
const ASK_PEER = /^call ask_peer (\{.*\})$/s;
const readOnly = { filesystem: "read", execution: "none", network: "none" };

let rt: RedTeam;

beforeAll(async () => {
  rt = await startRedTeam({
    name: "usage-nested",
    models: [{ id: "fake-ledger", cost: { input: 2, output: 8 }, context: 10_000_000, output: 1_000_000 }],
    profiles: [
      {
        id: "lead",
        kind: "process",
        model: "scripted/fake-ledger",
        purpose: "usage e2e: asks a peer",
        permissions: { categories: readOnly, tools: { ask_peer: { enabled: true } } },
      },
      {
        id: "helper",
        kind: "session",
        model: "scripted/fake-ledger",
        purpose: "usage e2e: answers",
        permissions: { categories: readOnly },
      },
    ],
  });
  rt.model.setScript(
    rules(
      [
        // The lead's model: ask the peer (step 1), then answer with its result (step 2).
        {
          userText: ASK_PEER,
          toolsOffered: "ask_peer",
          reply: (req) =>
            reply.toolCall("ask_peer", JSON.parse(ASK_PEER.exec(req.lastUserText)?.[1] ?? "{}"), {
              usage: USAGE,
            }),
        },
        { toolResult: "ask_peer", reply: reply.text("lead done", { usage: USAGE }) },
        // The host's `call <tool>` messages and their results.
        callRule,
        { toolResult: true, reply: (req) => `Done: ${req.lastToolResult?.name}` },
        // The helper's job.
        { userText: /^job /, reply: reply.text("helper done", { usage: USAGE }) },
      ],
      echoScript,
    ),
  );
  for (const id of ["lead", "helper"]) expect(await rt.spawn(id)).toMatchObject({ id, status: "ready" });
}, 240_000);

afterAll(async () => {
  await rt?.stop();
});

describe("the ledger across a nested worker-to-worker request", { timeout: 180_000 }, () => {
  it("a job's total includes the job it caused, exactly the scripted usage times the fake prices", async () => {
    const answer = await rt.hostCalls("ask_worker", {
      id: "lead",
      message: callAskPeer({ worker: "helper", message: "job for the helper" }),
    });
    expect(answer).toContain("lead done");

    const journal = openJobJournal({
      file: defaultJournalFile(defaultRegistryFile({ XDG_DATA_HOME: join(rt.opencode.scratch, "data") })),
    });
    try {
      const jobs = journal.list({ all: true });
      const lead = jobs.find((j) => j.worker === "lead");
      const helper = jobs.find((j) => j.worker === "helper");
      // The lead's two steps; the helper's one step, linked to the lead's job.
      expect(lead).toMatchObject({
        status: "done",
        cost: 2 * STEP,
        costSource: "opencode",
        parentJobId: null,
      });
      expect(helper).toMatchObject({ status: "done", cost: STEP, parentJobId: lead?.id });
      const total = totalsWithCaused(jobs).get(lead?.id ?? "");
      expect(total?.cost).toBe(3 * STEP);
      expect(total?.tokens).toEqual({
        input: 375_000,
        output: 187_500,
        reasoning: 0,
        cacheRead: 0,
        cacheWrite: 0,
      });
    } finally {
      journal.close();
    }

    // The usage tool: both jobs count toward the orchestrator's session (the helper's through its cause).
    const bySession = JSON.parse(await rt.hostCalls("usage", { by: "session", format: "json" })) as {
      total: { cost: number | null };
      rows: { key: string; cost: number | null; jobs: number }[];
    };
    expect(bySession.total.cost).toBe(3 * STEP);
    expect(bySession.rows).toEqual([expect.objectContaining({ key: rt.sessionID, cost: 3 * STEP, jobs: 2 })]);
  });
});
