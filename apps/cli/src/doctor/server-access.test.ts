import { describe, expect, it } from "vitest";
import { serverAccess } from "./server-access.js";

describe("serverAccess", () => {
  it("reads the credentials OpenCode reads: OPENCODE_SERVER_PASSWORD and OPENCODE_SERVER_USERNAME", () => {
    expect(serverAccess("http://h:1", { OPENCODE_SERVER_PASSWORD: "pw" })).toEqual({
      url: "http://h:1",
      username: "opencode",
      password: "pw",
    });
    expect(
      serverAccess("http://h:1", { OPENCODE_SERVER_PASSWORD: "", OPENCODE_SERVER_USERNAME: "me" }),
    ).toEqual({
      url: "http://h:1",
      username: "me",
    });
  });
});
