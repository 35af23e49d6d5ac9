import { randomUUID } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isProcessAlive, liveProcessGroups, processGroupMembers } from "@orchestra/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply } from "../scripted-model/reply.js";
import { rules } from "../scripted-model/script.js";
import { type ScriptedModel, startScriptedModel } from "../scripted-model/scripted-model.js";
import { type OpencodeInstance, startOpencode } from "./start-opencode.js";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..", "..");
const plugin = join(packageDir, "test-fixtures", "echo-plugin.js");
const SLOW = 180_000; // a real OpenCode on a loaded 2-core box

describe("startOpencode with a real OpenCode, a scripted model and a plugin", () => {
  const unique = `u-${randomUUID()}`;
  let model: ScriptedModel;
  let opencode: OpencodeInstance;

  beforeAll(async () => {
    model = await startScriptedModel({
      script: rules([
        { userText: "use the echo tool", reply: reply.toolCall("testkit_echo", { text: unique }) },
        { toolResult: "testkit_echo", reply: (req) => `The tool answered ${req.lastToolResult?.content}.` },
      ]),
    });
    opencode = await startOpencode({
      model,
      plugins: [plugin],
      resolveFrom: packageDir,
      password: true,
      startupTimeoutMs: 120_000,
    });
  }, SLOW);

  afterAll(async () => {
    await opencode?.stop();
    await model?.close();
  }, SLOW);

  it("listens on 127.0.0.1 with isolated HOME and XDG dirs and requires the password", async () => {
    expect(opencode.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(opencode.home.startsWith(opencode.scratch)).toBe(true);
    expect(opencode.configDir).toBe(join(opencode.scratch, "config", "opencode"));
    expect(opencode.config).toMatchObject({
      autoupdate: false,
      share: "disabled",
      snapshot: false,
      model: "scripted/fake-fast",
      small_model: "scripted/fake-fast",
    });
    const anonymous = await fetch(`${opencode.url}/session`, { signal: AbortSignal.timeout(10_000) });
    expect(anonymous.status).toBe(401);
    const authed = await fetch(`${opencode.url}/session`, {
      headers: opencode.headers,
      signal: AbortSignal.timeout(10_000),
    });
    expect(authed.status).toBe(200);
  });

  it(
    "runs the plugin's tool when the scripted model calls it, and the result reaches the model and the session",
    async () => {
      const session = await opencode.client.session.create({ title: "testkit proof" });
      const sessionID = session.data?.id ?? "";
      expect(sessionID).toMatch(/^ses_/);
      const result = await opencode.client.session.prompt({
        sessionID,
        model: { providerID: "scripted", modelID: "fake-fast" },
        parts: [{ type: "text", text: "Please use the echo tool." }],
      });
      expect(result.error).toBeUndefined();

      // 1. The tool ran: it wrote its log line into the project directory.
      const log = readFileSync(join(opencode.directory, "testkit-echo.log"), "utf8");
      expect(JSON.parse(log.trim().split("\n")[0] ?? "{}")).toEqual({ text: unique, sessionID });

      // 2. OpenCode offered the tool, and its output went back to the model as a role:"tool" message.
      const chats = model.requests.filter((r) => r.toolNames.includes("testkit_echo"));
      expect(chats[0]?.reply?.type).toBe("tool-calls");
      const followUp = chats.find((r) => r.lastToolResult !== undefined);
      const toolMessage = followUp?.messages.find((m) => m.role === "tool");
      expect(toolMessage).toBeDefined();
      expect(followUp?.lastToolResult?.name).toBe("testkit_echo");
      expect(followUp?.lastToolResult?.content).toContain(`ECHOED<${unique}>`);

      // 3. The final assistant text is in the session.
      const messages = await opencode.client.session.messages({ sessionID });
      const texts = (messages.data ?? []).flatMap((m) =>
        m.info.role === "assistant" ? m.parts.flatMap((p) => (p.type === "text" ? [p.text] : [])) : [],
      );
      expect(texts).toContain(`The tool answered ECHOED<${unique}>.`);
      const toolParts = (messages.data ?? []).flatMap((m) => m.parts.filter((p) => p.type === "tool"));
      expect(toolParts[0]).toMatchObject({ tool: "testkit_echo", state: { status: "completed" } });
    },
    SLOW,
  );

  it(
    "answers OpenCode's title generation (small_model, no tools) with the default text, not a tool call",
    async () => {
      const session = await opencode.client.session.create({});
      const sessionID = session.data?.id ?? "";
      await opencode.client.session.prompt({
        sessionID,
        model: { providerID: "scripted", modelID: "fake-fast" },
        parts: [{ type: "text", text: "Please use the echo tool." }],
      });
      let title = "";
      for (let i = 0; i < 200 && !title.startsWith("Echo:"); i++) {
        title = (await opencode.client.session.get({ sessionID })).data?.title ?? "";
        if (!title.startsWith("Echo:")) await new Promise((r) => setTimeout(r, 50));
      }
      expect(title).toBe("Echo: Please use the echo tool.");
      const titleRequest = model.requests.find(
        (r) => r.toolNames.length === 0 && r.lastUserText.includes("echo tool"),
      );
      expect(titleRequest?.reply).toMatchObject({ type: "text", text: "Echo: Please use the echo tool." });
    },
    SLOW,
  );

  it("pre-seeded the plugin-dependency install, so OpenCode did not run npm", () => {
    for (const dir of [opencode.configDir, join(opencode.directory, ".opencode")]) {
      const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
        packages: Record<string, { dependencies?: Record<string, string> }>;
      };
      expect(lock.packages[""]?.dependencies).toEqual({ "@opencode-ai/plugin": opencode.version });
      // An npm install would have reified packages such as zod next to the plugin package.
      expect(readdirSync(join(dir, "node_modules")).filter((n) => !n.startsWith("."))).toEqual([
        "@opencode-ai",
      ]);
    }
  });

  it(
    "stop() disposes, terminates the process group, removes the scratch dir and is idempotent",
    async () => {
      const { pid, scratch } = opencode;
      expect(isProcessAlive(pid)).toBe(true);
      await Promise.all([opencode.stop(), opencode.stop()]);
      expect(processGroupMembers(pid)).toEqual([]);
      expect(isProcessAlive(pid)).toBe(false);
      expect(liveProcessGroups()).not.toContain(pid);
      expect(existsSync(scratch)).toBe(false);
    },
    SLOW,
  );
});

describe("startOpencode failures", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  function fakeBinary(body: string): string {
    const dir = mkdtempSync(join(tmpdir(), "testkit-fake-opencode-"));
    dirs.push(dir);
    const file = join(dir, "opencode");
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it("fails with PROCESS_OPENCODE_NOT_FOUND for a missing binary", async () => {
    await expect(startOpencode({ binary: "/nonexistent/opencode", version: "1.0.0" })).rejects.toMatchObject({
      code: "PROCESS_OPENCODE_NOT_FOUND",
    });
  });

  it("runs $ORCHESTRA_OPENCODE_BIN when no binary is given (CI's second OpenCode version)", async () => {
    const binary = fakeBinary('echo "the binary from the environment" >&2; exit 3');
    const saved = process.env.ORCHESTRA_OPENCODE_BIN;
    process.env.ORCHESTRA_OPENCODE_BIN = binary;
    try {
      const error = await startOpencode({ version: "1.0.0" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "PROCESS_EXITED" });
      expect((error as Error).message).toContain("the binary from the environment");
    } finally {
      if (saved === undefined) delete process.env.ORCHESTRA_OPENCODE_BIN;
      else process.env.ORCHESTRA_OPENCODE_BIN = saved;
    }
  });

  it("fails with PROCESS_EXITED and the output tail when the server exits early", async () => {
    const binary = fakeBinary('echo "bad config: provider.x" >&2; exit 2');
    const error = await startOpencode({ binary, version: "1.0.0" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PROCESS_EXITED" });
    expect((error as Error).message).toContain("bad config: provider.x");
    expect((error as Error).message).toContain("code 2");
  });

  it("fails with PROCESS_START_TIMEOUT, names the output and leaves no process", async () => {
    const binary = fakeBinary('echo "booting"; echo "$$" > "$PID_FILE"; sleep 30 & wait');
    const pidFile = join(dirname(binary), "pid");
    const error = await startOpencode({
      binary,
      version: "1.0.0",
      startupTimeoutMs: 500,
      env: { PID_FILE: pidFile },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PROCESS_START_TIMEOUT" });
    expect((error as Error).message).toContain("booting");
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    expect(pid).toBeGreaterThan(0);
    expect(processGroupMembers(pid)).toEqual([]);
  });
});
