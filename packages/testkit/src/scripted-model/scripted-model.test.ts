import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "./chat-types.js";
import { presetModels } from "./fake-model.js";
import { reply } from "./reply.js";
import { rules } from "./script.js";
import { type ScriptedModel, startScriptedModel } from "./scripted-model.js";

interface StreamChunk {
  choices: { delta: Record<string, unknown>; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Parse an SSE body into its `data:` payloads. */
function sseData(body: string): string[] {
  return body
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.startsWith("data: "))
    .map((event) => event.slice("data: ".length));
}

function parsedChunks(body: string): StreamChunk[] {
  return sseData(body)
    .filter((d) => d !== "[DONE]")
    .map((d) => JSON.parse(d) as StreamChunk);
}

const echoTool = {
  type: "function",
  function: { name: "echo", description: "echo", parameters: { type: "object", properties: {} } },
};

describe("startScriptedModel", () => {
  let model: ScriptedModel;

  beforeAll(async () => {
    model = await startScriptedModel();
  });
  afterAll(async () => {
    await model.close();
  });
  beforeEach(() => model.reset());

  const chat = (body: Record<string, unknown>) =>
    fetch(`${model.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer x" },
      body: JSON.stringify({ model: "fake-fast", ...body }),
    });
  const user = (text: string): ChatMessage[] => [{ role: "user", content: text }];

  it("listens on 127.0.0.1 and lists the declared models", async () => {
    expect(model.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${model.baseURL}/models`);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toEqual(presetModels.map((m) => m.id));
  });

  it("streams a text reply as SSE chunks, then a finish reason, a usage chunk and [DONE]", async () => {
    model.setScript(() => reply.text("Hello there, this is a longer scripted answer.", { chunkSize: 10 }));
    const res = await chat({ messages: user("hi"), stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const body = await res.text();
    const data = sseData(body);
    expect(data[data.length - 1]).toBe("[DONE]");
    const chunks = parsedChunks(body);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe("Hello there, this is a longer scripted answer.");
    expect(
      chunks.filter(
        (c) => typeof c.choices[0]?.delta.content === "string" && c.choices[0].delta.content !== "",
      ).length,
    ).toBe(5);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe("stop");
    const usage = chunks[chunks.length - 1];
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage?.total_tokens).toBe(
      (usage?.usage?.prompt_tokens ?? 0) + (usage?.usage?.completion_tokens ?? 0),
    );
  });

  it("omits the usage chunk unless stream_options.include_usage is set", async () => {
    const body = await (await chat({ messages: user("hi"), stream: true })).text();
    expect(parsedChunks(body).some((c) => c.usage !== undefined)).toBe(false);
  });

  it("answers non-streaming requests with one JSON completion", async () => {
    model.setScript(() =>
      reply.text("plain", { reasoning: "thinking", usage: { promptTokens: 7, completionTokens: 3 } }),
    );
    const res = await chat({ messages: user("hi") });
    const body = (await res.json()) as {
      object: string;
      choices: { message: { content: string; reasoning_content: string }; finish_reason: string }[];
      usage: { prompt_tokens: number; total_tokens: number };
    };
    expect(body.object).toBe("chat.completion");
    expect(body.choices[0]?.message.content).toBe("plain");
    expect(body.choices[0]?.message.reasoning_content).toBe("thinking");
    expect(body.choices[0]?.finish_reason).toBe("stop");
    expect(body.usage).toMatchObject({ prompt_tokens: 7, total_tokens: 10 });
  });

  it("reports reasoning and cached tokens as OpenAI-compatible usage details when the reply states them", async () => {
    model.setScript(() =>
      reply.text("plain", {
        usage: { promptTokens: 70, completionTokens: 30, reasoningTokens: 12, cachedTokens: 40 },
      }),
    );
    const res = await chat({ messages: user("hi") });
    const body = (await res.json()) as { usage: Record<string, unknown> };
    expect(body.usage).toEqual({
      prompt_tokens: 70,
      completion_tokens: 30,
      total_tokens: 100,
      completion_tokens_details: { reasoning_tokens: 12 },
      prompt_tokens_details: { cached_tokens: 40 },
    });
  });

  it("streams tool calls with index, id, type and arguments, ending with finish_reason tool_calls", async () => {
    model.setScript(() =>
      reply.toolCalls([
        { name: "echo", args: { text: "a fairly long argument value to split" }, id: "call_1" },
        { name: "echo", args: { text: "b" } },
      ]),
    );
    const body = await (await chat({ messages: user("go"), stream: true, tools: [echoTool] })).text();
    const chunks = parsedChunks(body);
    type Delta = {
      index: number;
      id?: string;
      type?: string;
      function: { name?: string; arguments: string };
    };
    const deltas = chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls as Delta[] | undefined) ?? []);
    const first = deltas.find((d) => d.index === 0 && d.id);
    expect(first).toMatchObject({
      id: "call_1",
      type: "function",
      function: { name: "echo", arguments: "" },
    });
    const args = (index: number) =>
      deltas
        .filter((d) => d.index === index)
        .map((d) => d.function.arguments)
        .join("");
    expect(JSON.parse(args(0))).toEqual({ text: "a fairly long argument value to split" });
    expect(JSON.parse(args(1))).toEqual({ text: "b" });
    expect(deltas.find((d) => d.index === 1 && d.id)?.id).toMatch(/^call_/);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("returns tool calls in a non-streaming message", async () => {
    model.setScript(() => reply.toolCall("echo", { text: "x" }, { id: "call_9" }));
    const body = (await (await chat({ messages: user("go"), tools: [echoTool] })).json()) as {
      choices: { message: { tool_calls: unknown[] }; finish_reason: string }[];
    };
    expect(body.choices[0]?.message.tool_calls).toEqual([
      { id: "call_9", type: "function", function: { name: "echo", arguments: '{"text":"x"}' } },
    ]);
    expect(body.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("answers HTTP errors with an OpenAI-style body and extra headers", async () => {
    model.setScript(() => reply.error(429, "slow down", { headers: { "retry-after": "1" } }));
    const res = await chat({ messages: user("hi"), stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ error: { message: "slow down", type: "rate_limit_exceeded" } });
    model.setScript(() => reply.error(500));
    const res500 = await chat({ messages: user("hi") });
    expect(res500.status).toBe(500);
    expect(await res500.json()).toMatchObject({ error: { type: "server_error" } });
  });

  it("writes malformed chunks verbatim, with or without [DONE]", async () => {
    model.setScript(() => reply.malformed(['{"choices":[{"delta":'], { text: "ok so far" }));
    const data = sseData(await (await chat({ messages: user("hi"), stream: true })).text());
    expect(data).toContain('{"choices":[{"delta":');
    expect(data[data.length - 1]).toBe("[DONE]");
    model.setScript(() => reply.malformed(["not json"], { done: false }));
    const cut = sseData(await (await chat({ messages: user("hi"), stream: true })).text());
    expect(cut[cut.length - 1]).toBe("not json");
    const plain = await (await chat({ messages: user("hi") })).text();
    expect(plain).toBe("not json");
  });

  it("waits before answering when a delay is given", async () => {
    model.setScript((req) => (req.lastUserText === "slow" ? reply.text("late", { delayMs: 300 }) : "fast"));
    const order: string[] = [];
    const slow = chat({ messages: user("slow") }).then(async (r) =>
      order.push(
        ((await r.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content ??
          "",
      ),
    );
    await model.waitForRequests(1);
    const fast = chat({ messages: user("quick") }).then(async (r) =>
      order.push(
        ((await r.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content ??
          "",
      ),
    );
    await Promise.all([slow, fast]);
    expect(order).toEqual(["fast", "late"]);
  });

  it("records when each request arrived and when its reply was written, so overlaps show", async () => {
    model.setScript((req) => reply.text(req.lastUserText, { delayMs: 200 }));
    await (await chat({ messages: user("one") })).text();
    const [a, b] = await Promise.all([
      chat({ messages: user("two") }).then((r) => r.text()),
      chat({ messages: user("three") }).then((r) => r.text()),
    ]);
    expect([a, b].every((t) => t.length > 0)).toBe(true);
    const [first, second, third] = model.requests;
    for (const r of [first, second, third]) {
      expect(r?.finishedAt).toBeGreaterThan((r?.receivedAt ?? 0) + 150);
    }
    // The first ended before the next two began; those two overlapped.
    expect(first?.finishedAt).toBeLessThanOrEqual(Math.min(second?.receivedAt ?? 0, third?.receivedAt ?? 0));
    expect(second?.receivedAt).toBeLessThan(third?.finishedAt ?? 0);
    expect(third?.receivedAt).toBeLessThan(second?.finishedAt ?? 0);
  });

  it("keeps a hanging reply open until the client aborts", async () => {
    model.setScript(() => reply.hang({ text: "partial" }));
    const res = await chat({ messages: user("hi"), stream: true });
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"role":"assistant"');
    await reader?.cancel();
    expect(model.requests[0]?.reply?.type).toBe("hang");
  });

  it("records every request with the parsed body, model, messages and tools", async () => {
    await (await chat({ messages: user("first"), stream: true, tools: [echoTool] })).text();
    await (await chat({ model: "fake-vision", messages: user("second") })).text();
    expect(model.requests).toHaveLength(2);
    const [a, b] = model.requests;
    expect(a).toMatchObject({
      index: 0,
      model: "fake-fast",
      stream: true,
      toolNames: ["echo"],
      lastUserText: "first",
    });
    expect(a?.headers.authorization).toBe("Bearer x");
    expect(a?.body?.tools).toHaveLength(1);
    expect(a?.reply).toMatchObject({ type: "text", text: "Echo: first" });
    expect(b).toMatchObject({ index: 1, model: "fake-vision", stream: false, toolNames: [] });
    model.reset();
    expect(model.requests).toHaveLength(0);
  });

  it("resolves waitForRequests once enough requests arrived, and times out with a typed error", async () => {
    const waiting = model.waitForRequests(1, { timeoutMs: 2000 });
    await (await chat({ messages: user("x") })).text();
    await expect(waiting).resolves.toHaveLength(1);
    await expect(model.waitForRequests(5, { timeoutMs: 20 })).rejects.toMatchObject({
      code: "TESTKIT_WAIT_TIMEOUT",
    });
  });

  it("answers unparseable bodies with 400 and still records them", async () => {
    const res = await fetch(`${model.baseURL}/chat/completions`, { method: "POST", body: "{oops" });
    expect(res.status).toBe(400);
    expect(model.requests[0]?.rawBody).toBe("{oops");
    expect(model.requests[0]?.body).toBeUndefined();
  });

  it("turns a throwing script into a 500", async () => {
    model.setScript(() => {
      throw new Error("boom");
    });
    const res = await chat({ messages: user("hi") });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("boom");
  });

  it("anyTool: a hostile rule calls a tool the request does not offer", async () => {
    model.setScript(
      rules([
        { userText: "grab", toolsOffered: true, anyTool: true, reply: reply.toolCall("secret_tool", {}) },
      ]),
    );
    const call = (await (await chat({ messages: user("grab"), tools: [echoTool] })).json()) as {
      choices: { message: { tool_calls: { function: { name: string } }[] } }[];
    };
    expect(call.choices[0]?.message.tool_calls[0]?.function.name).toBe("secret_tool");
    // Still no tool call where none is offered (title generation).
    const title = (await (await chat({ messages: user("grab") })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(title.choices[0]?.message.content).toBe("Echo: grab");
  });

  it("answers 429 (with retry-after) for one model id and normally for another, and logs both in order", async () => {
    model.setScript(
      rules([
        {
          model: "fake-fast",
          reply: reply.error(429, "rate limit for fake-fast", { headers: { "retry-after": "0" } }),
        },
        { model: "fake-vision", reply: "vision answers" },
      ]),
    );
    const limited = await chat({ messages: user("hi") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("0");
    expect(await limited.json()).toMatchObject({ error: { message: "rate limit for fake-fast" } });
    const ok = (await (await chat({ model: "fake-vision", messages: user("hi") })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(ok.choices[0]?.message.content).toBe("vision answers");
    expect(model.requests.map((r) => [r.model, r.reply?.type])).toEqual([
      ["fake-fast", "error"],
      ["fake-vision", "text"],
    ]);
  });

  it("runs a rules script: tool call, then a reply to the tool result, default for the rest", async () => {
    model.setScript(
      rules([
        { userText: "please echo", reply: reply.toolCall("echo", { text: "hi" }) },
        { toolResult: { tool: "echo", output: /hi/ }, reply: (req) => `Got ${req.lastToolResult?.content}` },
        { model: "fake-reasoner", reply: "I reason", times: 1 },
      ]),
    );
    // A title-style request: no tools offered, so the tool-call rule falls through to the default.
    const title = (await (await chat({ messages: user("please echo") })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(title.choices[0]?.message.content).toBe("Echo: please echo");

    const call = (await (await chat({ messages: user("please echo"), tools: [echoTool] })).json()) as {
      choices: { message: { tool_calls: { id: string }[] } }[];
    };
    const callId = call.choices[0]?.message.tool_calls[0]?.id ?? "";
    const followUp: ChatMessage[] = [
      ...user("please echo"),
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: callId, type: "function", function: { name: "echo", arguments: '{"text":"hi"}' } },
        ],
      },
      { role: "tool", tool_call_id: callId, content: "hi back" },
    ];
    const answer = (await (await chat({ messages: followUp, tools: [echoTool] })).json()) as {
      choices: { message: { content: string } }[];
    };
    expect(answer.choices[0]?.message.content).toBe("Got hi back");
    expect(model.requests[2]?.lastToolResult).toEqual({
      callId,
      name: "echo",
      args: { text: "hi" },
      content: "hi back",
    });

    const reason = async () =>
      (
        (await (await chat({ model: "fake-reasoner", messages: user("x") })).json()) as {
          choices: { message: { content: string } }[];
        }
      ).choices[0]?.message.content;
    expect(await reason()).toBe("I reason");
    expect(await reason()).toBe("Echo: x");
  });

  it("produces an OpenCode provider block with the declared capabilities", () => {
    const provider = model.providerConfig().scripted;
    expect(provider).toMatchObject({
      npm: "@ai-sdk/openai-compatible",
      options: { baseURL: model.baseURL, apiKey: "x" },
    });
    expect(provider?.models["fake-vision"]).toEqual({
      name: "Fake Vision",
      tool_call: true,
      attachment: true,
      modalities: { input: ["text", "image"], output: ["text"] },
      cost: { input: 1, output: 4 },
      limit: { context: 200_000, output: 16_384 },
    });
    expect(provider?.models["fake-reasoner"]?.reasoning).toBe(true);
    expect(provider?.models["fake-no-tools"]?.tool_call).toBe(false);
    expect(provider?.models["fake-unpriced"]?.cost).toBeUndefined();
    expect(model.modelRef()).toBe("scripted/fake-fast");
    expect(model.modelRef("fake-vision")).toBe("scripted/fake-vision");
  });
});

describe("startScriptedModel options", () => {
  it("rejects unknown models with 404 when strictModels is set", async () => {
    const model = await startScriptedModel({ models: [{ id: "only" }], strictModels: true, providerId: "p" });
    try {
      const res = await fetch(`${model.baseURL}/chat/completions`, {
        method: "POST",
        body: JSON.stringify({ model: "other", messages: [] }),
      });
      expect(res.status).toBe(404);
      expect(model.modelRef()).toBe("p/only");
    } finally {
      await model.close();
    }
  });

  it("refuses an empty model list with a typed error", async () => {
    await expect(startScriptedModel({ models: [] })).rejects.toMatchObject({
      code: "TESTKIT_INVALID_OPTIONS",
    });
  });

  it("closes idempotently, even with a hanging reply open", async () => {
    const model = await startScriptedModel({ script: () => reply.hang() });
    const pending = fetch(`${model.baseURL}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "fake-fast", messages: [], stream: true }),
    }).then((r) => r.text());
    await model.waitForRequests(1);
    await Promise.all([model.close(), model.close()]);
    await expect(pending).rejects.toThrow();
  });
});
