import { describe, expect, it } from "vitest";
import { HIDDEN_SHELL_ENV, hostShellEnv, workerShellEnv } from "./shell-env.js";

describe("shell environment of workers", () => {
  it("blanks the server password, the enforcement key and the peer token in every process-worker shell", async () => {
    const output = { env: { KEEP: "1" } as Record<string, string> };
    await workerShellEnv({
      OPENCODE_SERVER_PASSWORD: "pw",
      ORCHESTRA_ENFORCEMENT_KEY: "k",
      ORCHESTRA_PEER_TOKEN: "t",
    })({ cwd: "/p" }, output);
    expect(output.env).toEqual({
      KEEP: "1",
      OPENCODE_SERVER_PASSWORD: "",
      ORCHESTRA_ENFORCEMENT_KEY: "",
      ORCHESTRA_PEER_TOKEN: "",
    });
  });

  it("adds nothing for a secret the process does not have", async () => {
    const output = { env: {} as Record<string, string> };
    await workerShellEnv({ OPENCODE_SERVER_PASSWORD: "pw" })({ cwd: "/p" }, output);
    expect(output.env).toEqual({ OPENCODE_SERVER_PASSWORD: "" });
  });

  it("on the host, blanks them only for session workers' shells", async () => {
    const hook = hostShellEnv((id) => id === "ses_worker", {
      OPENCODE_SERVER_PASSWORD: "pw",
      ORCHESTRA_ENFORCEMENT_KEY: "k",
      ORCHESTRA_PEER_TOKEN: "t",
    });
    const worker = { env: {} as Record<string, string> };
    await hook({ cwd: "/p", sessionID: "ses_worker" }, worker);
    expect(Object.keys(worker.env).sort()).toEqual([...HIDDEN_SHELL_ENV].sort());
    const user = { env: {} as Record<string, string> };
    await hook({ cwd: "/p", sessionID: "ses_user" }, user);
    await hook({ cwd: "/p" }, user);
    expect(user.env).toEqual({});
  });
});
