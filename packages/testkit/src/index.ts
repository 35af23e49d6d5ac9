export type { ResolvedOpencode, ResolveOpencodeOptions } from "@orchestra/process";
export {
  PLUGIN_PACKAGE,
  type SeedOptions,
  type SeedResult,
  seedPluginInstall,
} from "@orchestra/process";
export { type BenchStats, formatTable, type MeasureOptions, measure, report, summarize } from "./bench.js";
export { TestkitError, type TestkitErrorCode } from "./errors.js";
export { git, gitRepo } from "./git-repo.js";
export {
  type BuildConfigInput,
  buildOpencodeConfig,
  deepMerge,
  OPENCODE_TEST_DEFAULTS,
  type OpencodeConfig,
  pluginSpec,
} from "./opencode/opencode-config.js";
export { resolveOpencode, resolvePackageDir } from "./opencode/resolve-binary.js";
export {
  type OpencodeInstance,
  type StartOpencodeOptions,
  startOpencode,
} from "./opencode/start-opencode.js";
export type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessage,
  ChatTool,
  ChatToolCall,
  ChatUsage,
} from "./scripted-model/chat-types.js";
export {
  hasImageInput,
  lastToolResult,
  lastUserText,
  messageText,
  type ToolResult,
  trailingToolResults,
} from "./scripted-model/conversation.js";
export {
  type FakeModel,
  type Modality,
  type OpencodeModelConfig,
  type OpencodeProviderConfig,
  presetModels,
  toOpencodeModel,
  toOpencodeProvider,
} from "./scripted-model/fake-model.js";
export {
  type ErrorReply,
  type HangReply,
  type MalformedReply,
  type Reply,
  type ReplyLike,
  type ReplyTiming,
  type ReplyUsage,
  reply,
  type TextReply,
  type ToolCallSpec,
  type ToolCallsReply,
  toReply,
} from "./scripted-model/reply.js";
export {
  echoScript,
  type RecordedRequest,
  type Rule,
  rules,
  type Script,
  type ScriptContext,
  type TextMatcher,
} from "./scripted-model/script.js";
export {
  type ScriptedModel,
  type ScriptedModelOptions,
  startScriptedModel,
  type WaitOptions,
} from "./scripted-model/scripted-model.js";
