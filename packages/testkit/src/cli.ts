#!/usr/bin/env node
import { OrchestraError } from "@orchestra/core";
import { Command, InvalidArgumentError } from "commander";
import { type OpencodeInstance, startOpencode } from "./opencode/start-opencode.js";
import { type ScriptedModel, startScriptedModel } from "./scripted-model/scripted-model.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("expected a port number (0-65535)");
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Run until SIGINT/SIGTERM, then call `cleanup` once and exit 0. */
function runUntilSignal(cleanup: () => Promise<void>): void {
  let stopping = false;
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping…\n`);
    cleanup()
      .catch((error: unknown) => process.stderr.write(`cleanup failed: ${String(error)}\n`))
      .finally(() => {
        clearInterval(keepAlive);
        process.exit(0);
      });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

function fail(error: unknown): never {
  process.stderr.write(`${OrchestraError.isInstance(error) ? error.describe() : String(error)}\n`);
  process.exit(1);
}

const program = new Command("orchestra-testkit")
  .description(
    "Run a scripted OpenAI-compatible model and an isolated, offline OpenCode for tests and demos.",
  )
  .showHelpAfterError();

program
  .command("model")
  .description(
    "Start the scripted model server on 127.0.0.1 and print its URL (default script: echo the user text).",
  )
  .option("-p, --port <port>", "port to listen on (0 = a free port)", port, 0)
  .addHelpText(
    "after",
    "\nPrints the base URL (ending in /v1) on stdout, then runs until SIGINT/SIGTERM.\nExample: orchestra-testkit model --port 8787",
  )
  .action(async (opts: { port: number }) => {
    let model: ScriptedModel;
    try {
      model = await startScriptedModel({ port: opts.port });
    } catch (error) {
      fail(error);
    }
    process.stdout.write(`${model.baseURL}\n`);
    process.stderr.write(`models: ${model.models.map((m) => m.id).join(", ")}\n`);
    runUntilSignal(() => model.close());
  });

program
  .command("opencode")
  .description(
    "Start a scripted model plus an isolated OpenCode server wired to it, and print the OpenCode URL.",
  )
  .option("--plugin <file>", "plugin file to load (repeatable)", collect, [])
  .option("-d, --directory <dir>", "project directory (default: a fresh temp dir)")
  .option("--model-port <port>", "port of the scripted model (0 = a free port)", port, 0)
  .option("--password <password>", "require HTTP basic auth (user opencode) with this password")
  .option("--startup-timeout <ms>", "how long to wait for OpenCode to be ready", (v) => Number(v), 60_000)
  .addHelpText(
    "after",
    [
      "",
      "Prints the OpenCode URL on stdout; the model URL and scratch dir go to stderr.",
      "OpenCode gets its own HOME and XDG dirs, no model catalog fetch, no auto-update, no sharing,",
      "and a pre-seeded plugin-dependency install, so it runs offline. Stops on SIGINT/SIGTERM.",
      "Example: orchestra-testkit opencode --plugin ./dist/plugin.js",
    ].join("\n"),
  )
  .action(
    async (opts: {
      plugin: string[];
      directory?: string;
      modelPort: number;
      password?: string;
      startupTimeout: number;
    }) => {
      let model: ScriptedModel | undefined;
      let opencode: OpencodeInstance | undefined;
      try {
        model = await startScriptedModel({ port: opts.modelPort });
        opencode = await startOpencode({
          model,
          plugins: opts.plugin,
          startupTimeoutMs: opts.startupTimeout,
          ...(opts.directory ? { directory: opts.directory } : {}),
          ...(opts.password ? { password: opts.password } : {}),
        });
      } catch (error) {
        await model?.close();
        fail(error);
      }
      const started = opencode;
      const scripted = model;
      process.stdout.write(`${started.url}\n`);
      process.stderr.write(
        `model: ${scripted.baseURL} (${started.config.model as string})\nproject: ${started.directory}\nscratch: ${started.scratch}\npid: ${started.pid}\n`,
      );
      started.process.exited.then((info) => {
        process.stderr.write(`opencode exited (code ${info.code}, signal ${info.signal})\n`);
      });
      runUntilSignal(async () => {
        await started.stop();
        await scripted.close();
      });
    },
  );

program.parseAsync(process.argv).catch(fail);
