import { describe, expect, it } from "vitest";
import { activitySinks, CONSOLE_PREFIX, LoggedActivity } from "./activity-log.js";

describe("LoggedActivity", () => {
  it("keeps the entries and copies each line to the sinks", () => {
    const debug: string[] = [];
    const stderr: string[] = [];
    const activity = new LoggedActivity({ debug: (l) => debug.push(l), console: (l) => stderr.push(l) });
    activity.log("deny", "read /etc/shadow: outside the profile");
    expect(activity.recent(1)[0]?.message).toBe("read /etc/shadow: outside the profile");
    expect(debug).toEqual(["deny: read /etc/shadow: outside the profile"]);
    expect(stderr).toEqual(["deny: read /etc/shadow: outside the profile"]);
  });

  it("activitySinks turns on only what ui.debug and ui.logToConsole ask for", () => {
    const printed: string[] = [];
    const client = {} as Parameters<typeof activitySinks>[1];
    const off = activitySinks({ debug: false, logToConsole: false }, client);
    expect(off).toEqual({});
    const consoleOnly = activitySinks({ debug: false, logToConsole: true }, client, (l) => printed.push(l));
    expect(consoleOnly.debug).toBeUndefined();
    consoleOnly.console?.("spawn: coder");
    expect(printed).toEqual([`${CONSOLE_PREFIX} spawn: coder`]);
  });
});
