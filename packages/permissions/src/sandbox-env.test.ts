import { describe, expect, it } from "vitest";
import { sandboxEnv, sandboxEnvArgs } from "./sandbox-env.js";

describe("sandboxEnv", () => {
  const host = {
    PATH: "/usr/bin:/bin",
    LANG: "en_US.UTF-8",
    LC_ALL: "C",
    TERM: "xterm",
    HOME: "/home/u",
    ANTHROPIC_API_KEY: "sk-ant-secret",
    OPENAI_API_KEY: "sk-secret",
    ORCHESTRA_HOST_PORT: "4096",
    OPENCODE_SERVER_PASSWORD: "hunter2",
    SSH_AUTH_SOCK: "/run/user/1000/ssh",
    DBUS_SESSION_BUS_ADDRESS: "unix:path=/run/user/1000/bus",
    LD_PRELOAD: "/x.so",
    NODE_OPTIONS: "--require /x.js",
  };

  it("keeps only allowlisted variables and sets the sandbox's own", () => {
    expect(sandboxEnv(host, "/home/u")).toEqual({
      PATH: "/usr/bin:/bin",
      LANG: "en_US.UTF-8",
      LC_ALL: "C",
      TERM: "xterm",
      HOME: "/home/u",
      TMPDIR: "/tmp",
      ORCHESTRA_SANDBOX: "1",
    });
  });

  it("gives a default PATH when the host has none", () => {
    expect(sandboxEnv({}, "/h").PATH).toBe("/usr/local/bin:/usr/bin:/bin");
  });

  it("starts from an empty environment in bwrap", () => {
    const args = sandboxEnvArgs(host, "/home/u");
    expect(args[0]).toBe("--clearenv");
    expect(args.join(" ")).not.toMatch(
      /API_KEY|ORCHESTRA_HOST_PORT|OPENCODE|SSH_AUTH_SOCK|DBUS|LD_PRELOAD|NODE_OPTIONS/,
    );
    expect(args.join(" ")).toContain("--setenv ORCHESTRA_SANDBOX 1");
  });
});
