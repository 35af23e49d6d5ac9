import type { Hooks } from "@opencode-ai/plugin";
import type { OrchestratorConfig } from "@orchestra/config";

/** What {@link idleNotifier} needs. */
export interface IdleNotifierDeps {
  /** `notifications.idle`. */
  readonly idle: OrchestratorConfig["notifications"]["idle"];
  /** True for a worker's session (and its child sessions): those never notify. */
  readonly isWorkerSession: (sessionID: string) => boolean;
  /** Shows the notification (a TUI toast: OpenCode gives plugins no desktop-notification API). */
  readonly notify: (title: string, message: string) => void;
}

/** The notifier's hooks: `event` watches sessions, `dispose` drops pending notifications. */
export interface IdleNotifier {
  readonly event: NonNullable<Hooks["event"]>;
  readonly dispose: () => void;
}

/** `{ type, properties.sessionID, properties.status.type }` of an OpenCode event. */
function sessionOf(event: { type: string; properties?: unknown }): { id?: string; status?: string } {
  const p = (event.properties ?? {}) as { sessionID?: unknown; status?: { type?: unknown } };
  return {
    ...(typeof p.sessionID === "string" ? { id: p.sessionID } : {}),
    ...(typeof p.status?.type === "string" ? { status: p.status.type } : {}),
  };
}

/**
 * `notifications.idle`: when one of the user's sessions goes idle after work (`session.idle`), a
 * notification after `delayMs`, unless the session is busy again by then. Workers' sessions never
 * notify. Off: the hook does nothing.
 */
export function idleNotifier(deps: IdleNotifierDeps): IdleNotifier {
  const pending = new Map<string, NodeJS.Timeout>();
  const cancel = (id: string) => {
    clearTimeout(pending.get(id));
    pending.delete(id);
  };
  return {
    event: async ({ event }) => {
      if (!deps.idle.enabled) return;
      const session = sessionOf(event);
      if (session.id === undefined || deps.isWorkerSession(session.id)) return;
      const id = session.id;
      if (event.type === "session.status" && session.status === "busy") cancel(id);
      if (event.type !== "session.idle") return;
      cancel(id);
      const timer = setTimeout(() => {
        pending.delete(id);
        deps.notify(deps.idle.title, deps.idle.message);
      }, deps.idle.delayMs);
      timer.unref();
      pending.set(id, timer);
    },
    dispose: () => {
      for (const id of [...pending.keys()]) cancel(id);
    },
  };
}
