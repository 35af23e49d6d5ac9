// Shared by the plugin's end-to-end tests: the toasts a real OpenCode shows, as its `/event`
// stream carries them (`tui.toast.show`), recorded from the moment the recorder starts.
import type { OpencodeInstance } from "@orchestra/testkit";

/** A toast OpenCode showed. */
export interface ToastEvent {
  title?: string;
  message: string;
  variant: string;
}

/** The toasts of one server, in order of arrival. */
export interface ToastRecorder {
  readonly toasts: readonly ToastEvent[];
  /** The first toast whose message matches `pattern`, waiting until one arrives (the stream is pushed). */
  matching(pattern: RegExp): Promise<ToastEvent>;
  /** Stop listening. */
  stop(): void;
}

/** Record the toasts `opencode` shows from now on. */
export async function recordToasts(opencode: OpencodeInstance): Promise<ToastRecorder> {
  const toasts: ToastEvent[] = [];
  const stopEvents = new AbortController();
  const events = await opencode.client.event.subscribe(undefined, { signal: stopEvents.signal });
  void (async () => {
    for await (const event of events.stream as AsyncIterable<{ type: string; properties: unknown }>)
      if (event.type === "tui.toast.show") toasts.push(event.properties as ToastEvent);
  })().catch(() => undefined);
  return {
    toasts,
    async matching(pattern) {
      for (;;) {
        const found = toasts.find((t) => pattern.test(t.message));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () => stopEvents.abort(),
  };
}
