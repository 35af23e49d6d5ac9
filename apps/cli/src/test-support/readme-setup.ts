// The hidden setup of README examples: what a reader already has (an OpenCode on PATH, a provider)
// and the test must supply, so that the README's block runs exactly as printed.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveOpencode, rules, startScriptedModel } from "@orchestra/testkit";
import { repoRoot } from "./release-tarballs.js";

/** What a package's examples need besides the package: extra environment and output replacements. */
export interface ReadmeSetup {
  env: NodeJS.ProcessEnv;
  /** Exact strings replaced in the examples' output before comparing. */
  replace: Record<string, string>;
  close(): Promise<void>;
}

interface SetupContext {
  /** The reader's project, where the package is installed. */
  project: string;
  /** The environment the install ran with. */
  env: NodeJS.ProcessEnv;
}

/** `opencode` (the version this repository pins) on the reader's PATH, as the install guide asks. */
function opencodeOnPath(context: SetupContext): NodeJS.ProcessEnv {
  const bin = `${context.project}-bin`;
  mkdirSync(bin, { recursive: true });
  symlinkSync(resolveOpencode({ resolveFrom: repoRoot }).binary, join(bin, "opencode"));
  return { PATH: `${bin}:${context.env.PATH ?? ""}` };
}

const setups: Record<string, (context: SetupContext) => Promise<ReadmeSetup>> = {
  "@orchestra/process": async (context) => ({
    env: opencodeOnPath(context),
    replace: {},
    close: async () => undefined,
  }),
  // The reader's OpenCode, which the testkit peers on (release:check installs the testkit without
  // its peers): the version this repository pins, through the variable the testkit honours.
  "@orchestra/testkit": async () => ({
    env: { ORCHESTRA_OPENCODE_BIN: resolveOpencode({ resolveFrom: repoRoot }).binary },
    replace: {},
    close: async () => undefined,
  }),
  // The reader's OpenCode has a provider and a default model: here the scripted model, in the
  // global OpenCode config of the reader's HOME.
  "@orchestra/runtime": async (context) => {
    const model = await startScriptedModel({
      script: rules([{ userText: /.*/, reply: (req) => `answer to: ${req.lastUserText}` }]),
    });
    const configDir = join(context.env.HOME ?? context.project, ".config", "opencode");
    mkdirSync(configDir, { recursive: true });
    writeFileSync(
      join(configDir, "opencode.json"),
      JSON.stringify({ provider: model.providerConfig(), model: model.modelRef() }),
    );
    return { env: opencodeOnPath(context), replace: {}, close: () => model.close() };
  },
};

/** The setup `name`'s README examples need (nothing for most packages). */
export function readmeSetup(name: string, context: SetupContext): Promise<ReadmeSetup> {
  const setup = setups[name];
  return setup ? setup(context) : Promise.resolve({ env: {}, replace: {}, close: async () => undefined });
}
