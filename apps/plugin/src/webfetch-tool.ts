// The plugin's `webfetch`: it replaces OpenCode's built-in tool of the same id (OpenCode 1.18.33
// lists plugin tools after the built-ins and keys the session's tools by id, so the plugin's wins),
// with the same arguments and output, and with every redirect hop checked against the calling
// worker's network rule (see safe-webfetch.ts). Sessions that are not held to a restricted network
// rule (the user's own, `network: full` workers) fetch as the built-in does, redirects included.
import { type ToolContext, type ToolDefinition, tool } from "@opencode-ai/plugin";
import type { SessionPolicy } from "./enforcement.js";
import { fetchChecked, type HopRule, WebfetchError } from "./safe-webfetch.js";
import { acceptHeader, WEBFETCH_FORMATS, type WebfetchFormat } from "./webfetch-accept.js";

const DEFAULT_TIMEOUT_S = 30;
const MAX_TIMEOUT_S = 120;
const BROWSER_UA =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/143.0.0.0 Safari/537.36";

/** What the tool needs to know about the calling session. */
export interface WebfetchToolOptions {
  /** The policy a session is held to; `undefined` for sessions that are not workers'. */
  policyOf: (sessionID: string) => SessionPolicy | undefined;
  /** Ports of the orchestrator and the workers, read at each hop. */
  reservedPorts: () => readonly number[];
  /** Told about every refused hop. */
  log?: (line: string) => void;
}

/** The hop rule for a policy: none for unrestricted sessions and `network: full`. */
export function hopRule(
  policy: SessionPolicy | undefined,
  reservedPorts: () => readonly number[],
): HopRule | undefined {
  if (policy === undefined || !policy.ok) return undefined;
  const level = policy.effective.categories.network;
  return level === "full" ? undefined : { level, reservedPorts, worker: policy.worker };
}

function isImage(mime: string): boolean {
  return mime.startsWith("image/") && mime !== "image/svg+xml" && mime !== "image/vnd.fastbidsheet";
}

/** The `webfetch` tool (registered under that id, replacing OpenCode's built-in one). */
export function webfetchTool(options: WebfetchToolOptions): ToolDefinition {
  const z = tool.schema;
  return tool({
    description: [
      "Fetches content from a URL and returns it as markdown (default), text or html.",
      "- The URL must be a fully formed http:// or https:// URL.",
      "- HTML is converted to markdown or text; other text is returned as is; images are attached.",
      "- Redirects are followed one hop at a time, and a hop outside this session's network rule is refused, not requested.",
      "- Read-only; responses over 5 MB are refused. `timeout` is in seconds (default 30, at most 120).",
    ].join("\n"),
    args: {
      url: z.string().describe("The URL to fetch content from"),
      format: z
        .enum(WEBFETCH_FORMATS)
        .default("markdown")
        .describe("The format to return the content in (text, markdown, or html). Defaults to markdown."),
      timeout: z.number().optional().describe("Optional timeout in seconds (max 120)"),
    },
    async execute(args, ctx: ToolContext) {
      const format: WebfetchFormat = args.format ?? "markdown";
      if (!args.url.startsWith("http://") && !args.url.startsWith("https://")) {
        throw new Error("URL must start with http:// or https://");
      }
      const policy = options.policyOf(ctx.sessionID);
      if (policy !== undefined && !policy.ok) {
        throw new WebfetchError(
          "PLUGIN_WEBFETCH_DENIED",
          `Denied by Open Orchestra [profile.unresolved] for worker ${policy.worker}: ${policy.reason}`,
          "profile.unresolved",
        );
      }
      await ctx.ask({
        permission: "webfetch",
        patterns: [args.url],
        always: ["*"],
        metadata: { url: args.url, format, timeout: args.timeout },
      });
      const seconds = Math.min(Math.max(args.timeout ?? DEFAULT_TIMEOUT_S, 0), MAX_TIMEOUT_S);
      const signal = AbortSignal.any([ctx.abort, AbortSignal.timeout(seconds * 1000)]);
      const page = await fetchChecked(args.url, {
        rule: hopRule(policy, options.reservedPorts),
        headers: {
          "User-Agent": BROWSER_UA,
          Accept: acceptHeader(format),
          "Accept-Language": "en-US,en;q=0.9",
        },
        signal,
        honestUserAgent: "opencode",
        ...(options.log ? { log: options.log } : {}),
      });
      const mime = page.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
      const title = `${args.url} (${page.contentType})`;
      if (isImage(mime)) {
        return {
          title,
          output: "Image fetched successfully",
          metadata: {},
          attachments: [
            { type: "file", mime, url: `data:${mime};base64,${Buffer.from(page.body).toString("base64")}` },
          ],
        };
      }
      const text = new TextDecoder().decode(page.body);
      // Loaded here: the HTML libraries are not needed until a page is converted.
      const { formatBody } = await import("./webfetch-format.js");
      return { title, output: formatBody(text, page.contentType, format), metadata: {} };
    },
  });
}

/**
 * The `webfetch` replacement of a process worker, as a tool map to spread into the plugin's `tool`
 * hook: empty for a `network: full` profile, which keeps OpenCode's built-in.
 */
export function workerWebfetchTools(
  enforcement: {
    policy: SessionPolicy;
    enforcer: { context(shell: boolean): { reservedLocalPorts?: number[] } };
  },
  log?: (line: string) => void,
): Record<string, ToolDefinition> {
  const { policy } = enforcement;
  if (policy.ok && policy.effective.categories.network === "full") return {};
  return {
    webfetch: webfetchTool({
      policyOf: () => policy,
      reservedPorts: () => enforcement.enforcer.context(false).reservedLocalPorts ?? [],
      ...(log ? { log } : {}),
    }),
  };
}
