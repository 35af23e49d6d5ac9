import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import type { Hooks, PluginInput } from "@opencode-ai/plugin";
import { errorMarker, OrchestraError } from "@orchestra/core";
import {
  type CheckContext,
  check,
  type Decision,
  type EffectiveInput,
  type EffectivePermissions,
  fromEffective,
  gitHooksControlDirs,
  normalizeToolName,
  PermissionsError,
  probeBubblewrap,
  type RuleId,
  type SandboxProbe,
  sandboxCommand,
} from "@orchestra/permissions";
import type { ProfileRegistry } from "@orchestra/profiles";
import type { WorkerInfo } from "@orchestra/runtime";

/** The `tool.execute.before` hook's signature. */
export type BeforeHook = NonNullable<Hooks["tool.execute.before"]>;
/** The `event` hook's signature. */
type EventHook = NonNullable<Hooks["event"]>;

/** What a session (or a whole worker process) is held to. */
export type SessionPolicy =
  | {
      readonly ok: true;
      readonly worker: string;
      readonly profile: string;
      readonly effective: EffectivePermissions;
      readonly permissions: EffectiveInput;
    }
  /** The profile could not be resolved: every call is denied with `reason`. */
  | { readonly ok: false; readonly worker: string; readonly profile: string; readonly reason: string };

/** Where calls are checked: the project, and the ports workers must not reach. */
export interface EnforcementOptions {
  /** The project directory (OpenCode's `directory`). */
  directory: string;
  /** Ports of the orchestrator and the workers, read at each call. */
  reservedPorts: () => readonly number[];
  /** Told about every deny (and sandbox problem), one line each. */
  log?: (line: string) => void;
  /** Whether a sandbox can be built (default: {@link probeBubblewrap}, run once, lazily). */
  probe?: () => SandboxProbe;
  /** Home directory (default `os.homedir()`). */
  home?: string;
}

/** Resolve a profile's effective permissions; an unresolvable profile denies everything. */
export function policyFor(profiles: ProfileRegistry, worker: string, profile: string): SessionPolicy {
  const r = profiles.tryResolveProfile(profile);
  if (!r.ok) {
    const hints = r.error.hints?.length ? ` (${r.error.hints.join("; ")})` : "";
    return {
      ok: false,
      worker,
      profile,
      reason: `The profile \`${profile}\` of worker ${worker} cannot be resolved: ${r.error.message}${hints}. Every call is denied until the profile is fixed.`,
    };
  }
  const effective = r.resolved.profile.permissions;
  return { ok: true, worker, profile, effective, permissions: fromEffective(effective) };
}

/**
 * Thrown from `tool.execute.before` on a deny; OpenCode hands `message` to the model as the tool's
 * error. Its code is `PLUGIN_PERMISSION_DENIED`; `rule` names the permission rule that denied.
 */
export class PermissionDenied extends OrchestraError<"PLUGIN_PERMISSION_DENIED"> {
  static override readonly marker = errorMarker("PermissionDenied");
  /** True for a PermissionDenied from any copy of this package (`instanceof` fails across copies). */
  static override isInstance(value: unknown): value is PermissionDenied {
    return OrchestraError.hasMarker(value, PermissionDenied.marker);
  }

  /** The permission rule that denied the call. */
  readonly rule: RuleId;
  /** Why, in words the model reads. */
  readonly reason: string;
  constructor(rule: RuleId, reason: string, worker: string) {
    super("PLUGIN_PERMISSION_DENIED", `Denied by Open Orchestra [${rule}] for worker ${worker}: ${reason}`);
    this.rule = rule;
    this.reason = reason;
  }
}

/** Timing of the checks made so far (for diagnostics and the report). */
export interface EnforcementStats {
  checks: number;
  denies: number;
  /** Total time spent inside `check()`, in microseconds. */
  totalMicros: number;
  /** The slowest single check, in microseconds. */
  maxMicros: number;
}

/**
 * The enforcement core shared by the host and worker modes: decide a call with `check()`, throw
 * {@link PermissionDenied} on deny, and rewrite allowed shell commands of sandboxed profiles to run
 * under bubblewrap (refusing them where no sandbox can be built).
 */
export class Enforcer {
  readonly stats: EnforcementStats = { checks: 0, denies: 0, totalMicros: 0, maxMicros: 0 };
  readonly #options: EnforcementOptions;
  readonly #home: string;
  #probe: SandboxProbe | undefined;
  /** The project's custom git hooks folder: read once (at the worker's start), a control path from then on. */
  #controlDirs: readonly string[] | undefined;

  constructor(options: EnforcementOptions) {
    this.#options = options;
    this.#home = options.home ?? homedir();
  }

  /** The check context for one call (`package.json` is read afresh for shell calls: scripts may have changed). */
  context(shell: boolean): CheckContext {
    const platform = process.platform;
    const context: CheckContext = {
      cwd: this.#options.directory,
      home: this.#home,
      platform,
      caseInsensitiveFs: platform === "darwin" || platform === "win32",
      reservedLocalPorts: [...this.#options.reservedPorts()],
      controlDirs: [...this.#hooksDirs()],
    };
    if (shell) {
      const packageJson = readPackageJson(this.#options.directory);
      if (packageJson !== undefined) context.packageJson = packageJson;
    }
    return context;
  }

  #hooksDirs(): readonly string[] {
    this.#controlDirs ??= gitHooksControlDirs(this.#options.directory);
    return this.#controlDirs;
  }

  /** Decide `tool` with `output.args` under `policy`; throws on deny, may rewrite `output.args.command`. */
  enforce(policy: SessionPolicy, tool: string, output: { args: unknown }): Decision {
    if (!policy.ok) this.#deny(policy.worker, tool, "profile.unresolved", policy.reason);
    const id = normalizeToolName(tool);
    const started = performance.now();
    const decision = check(policy.permissions, { tool, args: output.args }, this.context(id === "bash"));
    const micros = (performance.now() - started) * 1000;
    this.stats.checks++;
    this.stats.totalMicros += micros;
    this.stats.maxMicros = Math.max(this.stats.maxMicros, micros);
    if (decision.decision === "deny") this.#deny(policy.worker, tool, decision.rule, decision.reason);
    if (policy.effective.categories.execution === "sandboxed") this.#sandbox(policy, id, tool, output);
    return decision;
  }

  #sandbox(
    policy: Extract<SessionPolicy, { ok: true }>,
    id: string,
    tool: string,
    output: { args: unknown },
  ) {
    const calls =
      id === "batch" ? (output.args as { tool_calls?: { tool?: unknown }[] }).tool_calls : undefined;
    if (calls?.some((c) => typeof c.tool === "string" && normalizeToolName(c.tool) === "bash")) {
      this.#deny(
        policy.worker,
        tool,
        "execution.sandbox-unavailable",
        "A shell call inside `batch` cannot be wrapped in the sandbox. Allowed instead: call the shell tool directly.",
      );
    }
    if (id !== "bash") return;
    this.#probe ??= (this.#options.probe ?? probeBubblewrap)();
    if (!this.#probe.ok) {
      this.#deny(
        policy.worker,
        tool,
        "execution.sandbox-unavailable",
        `\`execution: sandboxed\` runs shell commands under bubblewrap, and no sandbox can be built here: ${this.#probe.reason}. The command was not run. Allowed instead: file tools within the filesystem level; or install bubblewrap on the machine running the worker.`,
      );
    }
    const args = output.args as { command: string; workdir?: unknown };
    try {
      args.command = sandboxCommand(policy.permissions, args.command, {
        cwd: this.#options.directory,
        home: this.#home,
        controlDirs: this.#hooksDirs(),
        env: process.env,
        ...(typeof args.workdir === "string" ? { workdir: args.workdir } : {}),
      });
    } catch (error) {
      if (!(error instanceof PermissionsError)) throw error;
      const hints = error.hints?.length ? ` ${error.hints.join(" ")}` : "";
      this.#deny(
        policy.worker,
        tool,
        "execution.sandbox-unavailable",
        `The sandbox for this command cannot be built: ${error.message}${hints}`,
      );
    }
  }

  #deny(worker: string, tool: string, rule: RuleId, reason: string): never {
    this.stats.denies++;
    this.#options.log?.(`denied ${tool} for ${worker} [${rule}]: ${reason}`);
    throw new PermissionDenied(rule, reason, worker);
  }
}

function readPackageJson(directory: string): unknown {
  try {
    return JSON.parse(readFileSync(`${directory}/package.json`, "utf8"));
  } catch {
    return undefined;
  }
}

/** Hooks of the orchestrator host: its session workers are held to their profiles. */
export interface HostEnforcement {
  "tool.execute.before": BeforeHook;
  event: EventHook;
  enforcer: Enforcer;
  /** Session id → policy (session workers and the sessions they start). */
  sessions: ReadonlyMap<string, SessionPolicy>;
}

/**
 * Enforcement in the orchestrator's own OpenCode: every session worker's session (and any child
 * session it starts, e.g. through `task`) is checked against the worker's profile. The user's own
 * sessions are not restricted. Entries are never dropped: a stopped worker's session stays bound.
 */
export function hostEnforcement(
  orchestra: {
    on(event: "worker:ready", listener: (info: WorkerInfo) => void): unknown;
    profiles: ProfileRegistry;
  },
  options: EnforcementOptions,
): HostEnforcement {
  const enforcer = new Enforcer(options);
  const sessions = new Map<string, SessionPolicy>();
  orchestra.on("worker:ready", (info) => {
    if (info.kind !== "session") return;
    sessions.set(info.sessionId, policyFor(orchestra.profiles, info.id, info.profile));
  });
  return {
    enforcer,
    sessions,
    "tool.execute.before": async (input, output) => {
      const policy = sessions.get(input.sessionID);
      if (policy) enforcer.enforce(policy, input.tool, output);
    },
    event: async ({ event }) => {
      if (event.type !== "session.created") return;
      const info = event.properties.info;
      const parent = info.parentID === undefined ? undefined : sessions.get(info.parentID);
      if (parent && !sessions.has(info.id)) sessions.set(info.id, parent);
    },
  };
}

/** Hooks of a process worker: every call in the process is held to `ORCHESTRA_WORKER_PROFILE`. */
export interface WorkerEnforcement {
  "tool.execute.before": BeforeHook;
  enforcer: Enforcer;
  policy: SessionPolicy;
}

/**
 * Enforcement inside a process worker: the profile named by `ORCHESTRA_WORKER_PROFILE`, resolved
 * from the same config and profile files the orchestrator uses, applies to every call. A missing or
 * unresolvable profile denies every call.
 */
export function workerEnforcement(
  profiles: ProfileRegistry | Error,
  env: NodeJS.ProcessEnv,
  options: EnforcementOptions,
): WorkerEnforcement {
  const worker = env.ORCHESTRA_WORKER_ID ?? "(unknown worker)";
  const profile = env.ORCHESTRA_WORKER_PROFILE;
  const policy: SessionPolicy =
    profiles instanceof Error
      ? {
          ok: false,
          worker,
          profile: profile ?? "",
          reason: `The orchestrator config or profiles could not be loaded in worker ${worker}: ${profiles.message}. Every call is denied until it is fixed.`,
        }
      : profile === undefined || profile === ""
        ? {
            ok: false,
            worker,
            profile: "",
            reason: `Worker ${worker} was started without ORCHESTRA_WORKER_PROFILE, so its permissions are unknown. Every call is denied.`,
          }
        : policyFor(profiles, worker, profile);
  const enforcer = new Enforcer(options);
  return {
    enforcer,
    policy,
    "tool.execute.before": async (input, output) => {
      enforcer.enforce(policy, input.tool, output);
    },
  };
}

/** The port of a server URL, when it names one. */
export function portOf(url: string | URL | undefined): number | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url.toString());
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/** A deny logger writing to OpenCode's server log (fire and forget) and, optionally, elsewhere. */
export function denyLogger(
  client: PluginInput["client"],
  also?: (line: string) => void,
): (line: string) => void {
  return (line) => {
    also?.(line);
    void client.app
      .log({ body: { service: "open-orchestra", level: "warn", message: line } })
      .catch(() => undefined);
  };
}
