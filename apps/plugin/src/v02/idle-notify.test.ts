import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { idleNotifier } from "./idle-notify.js";

const idle = { enabled: true, title: "Orchestra", message: "Workers are done", delayMs: 1_000 };
const event = (type: string, properties: Record<string, unknown>) =>
  ({ event: { type, properties } }) as never;

describe("idleNotifier", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(enabled = true) {
    const sent: string[] = [];
    const notifier = idleNotifier({
      idle: { ...idle, enabled },
      isWorkerSession: (id) => id === "ses_worker",
      notify: (title, message) => sent.push(`${title}: ${message}`),
    });
    return { sent, notifier };
  }

  it("notifies after delayMs when a user session goes idle", async () => {
    const { sent, notifier } = setup();
    await notifier.event(event("session.idle", { sessionID: "ses_user" }));
    vi.advanceTimersByTime(999);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(["Orchestra: Workers are done"]);
  });

  it("does not notify when the session is busy again before the delay, nor for workers' sessions", async () => {
    const { sent, notifier } = setup();
    await notifier.event(event("session.idle", { sessionID: "ses_user" }));
    await notifier.event(event("session.status", { sessionID: "ses_user", status: { type: "busy" } }));
    await notifier.event(event("session.idle", { sessionID: "ses_worker" }));
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual([]);
  });

  it("does nothing when disabled, and dispose drops pending notifications", async () => {
    const off = setup(false);
    await off.notifier.event(event("session.idle", { sessionID: "ses_user" }));
    const on = setup();
    await on.notifier.event(event("session.idle", { sessionID: "ses_user" }));
    on.notifier.dispose();
    vi.advanceTimersByTime(5_000);
    expect([...off.sent, ...on.sent]).toEqual([]);
  });
});
