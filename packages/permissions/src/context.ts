import { z } from "zod";

/** A tool call exactly as OpenCode passes it to `tool.execute.before`: the tool id and its args. */
export interface ToolCall {
  /** OpenCode tool id (`read`, `bash`, `apply_patch`, an MCP tool...). Compared without regard to case. */
  tool: string;
  /** The tool's arguments (`{ filePath }`, `{ command, workdir? }`, `{ url }`...). */
  args: unknown;
}

const absolute = z.string().regex(/^\//, "must be an absolute POSIX path");

/** Schema of {@link CheckContext}; unknown keys are rejected so a typo cannot silently change a decision. */
export const checkContextSchema = z.strictObject({
  cwd: absolute.describe("The project root the worker runs in."),
  home: absolute.describe("The user's home directory (`~`, `$HOME`)."),
  platform: z.string().min(1).describe("`process.platform` of the worker."),
  caseInsensitiveFs: z.boolean().describe("Compare paths without regard to case (macOS, Windows)."),
  packageJson: z
    .unknown()
    .optional()
    .describe("The project's parsed package.json, for checking `npm run`/`bun run` scripts."),
  symlinks: z
    .record(z.string(), z.string())
    .optional()
    .describe("Absolute link path → target. When set it stands in for the real filesystem's links."),
  reservedLocalPorts: z
    .array(z.number().int().min(0).max(65535))
    .optional()
    .describe("Ports of the orchestrator and the workers: out of bounds for workers."),
  controlDirs: z
    .array(absolute)
    .optional()
    .describe(
      "More directories that are control paths for this worker, like the project's custom git hooks folder (see `gitHooksControlDirs`).",
    ),
  user: z.string().min(1).optional().describe("The user name; `~user` expands to `home` for this user only."),
});

/** Where a call is checked: project root, home, platform facts, and optional stand-ins for disk state. */
export type CheckContext = z.infer<typeof checkContextSchema>;
