// Shared by the ask_peer end-to-end tests: the host asks a worker a `call ask_peer {…}` message, so
// the worker's (hostile, scripted) model calls ask_peer; every ask_peer result any model received on
// the way (the innermost peer's first) is returned, with the host's ask_worker output.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { RedTeam } from "./red-team.js";

/** What one host → worker ask produced. */
export interface PeerRun {
  /** The host's ask_worker output (the asked worker's final answer). */
  answer: string;
  /** Every ask_peer result a worker's model received during the ask, in order (innermost first). */
  peerResults: string[];
  /** The tools offered in each request that answered a `call ask_peer` message, in order. */
  offered: string[][];
}

/** `call ask_peer <json>` as a worker's message. */
export function callAskPeer(args: Record<string, unknown>): string {
  return `call ask_peer ${JSON.stringify(args)}`;
}

/** Ask worker `id` `message` from the host session and collect what the ask_peer calls returned. */
export async function askThrough(rt: RedTeam, id: string, message: string): Promise<PeerRun> {
  const before = rt.model.requests.length;
  const answer = await rt.hostCalls("ask_worker", { id, message });
  const sent = rt.model.requests.slice(before);
  const peerResults = sent
    .filter(
      (r) =>
        r.lastToolResult?.name === "ask_peer" ||
        (r.lastToolResult?.name === "invalid" &&
          (r.lastToolResult.args as { tool?: unknown } | undefined)?.tool === "ask_peer"),
    )
    .map((r) => r.lastToolResult?.content ?? "");
  const offered = sent
    .filter((r) => r.lastToolResult === undefined && r.lastUserText.startsWith("call ask_peer "))
    .map((r) => r.toolNames);
  expect(answer, "the host's ask_worker got no answer").not.toBe("");
  return { answer, peerResults, offered };
}

/**
 * The content of the last result of `tool` any model received (a call OpenCode refused because the
 * tool is not offered comes back as its `invalid` tool naming `tool`).
 */
export function lastResultOf(rt: RedTeam, tool: string): string | undefined {
  return rt.model.requests.findLast(
    (r) =>
      r.lastToolResult?.name === tool ||
      (r.lastToolResult?.name === "invalid" &&
        (r.lastToolResult.args as { tool?: unknown } | undefined)?.tool === tool),
  )?.lastToolResult?.content;
}

/** The environment a process started with (`/proc/<pid>/environ`), as this test process can read it. */
export function startEnvironment(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, "utf8");
  return Object.fromEntries(
    raw
      .split("\0")
      .filter((kv) => kv.includes("="))
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}
